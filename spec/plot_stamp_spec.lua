-- Stamped scatter markers (src/plot/stamp.c): a scatter of 256 or more
-- markers of one size is drawn from pre-rendered coverage masks instead
-- of one path per marker.  The reference is the path drawing itself: the
-- same scatter with per-point sizes (an array of equal sizes) keeps the
-- paths.  Marker centres are rounded to 1/8 device pixel, which moves an
-- edge by at most 1/16 pixel: a pixel's coverage changes by at most about
-- 1/16 (16 levels of 255 at full contrast; the face and edge composites
-- twice that; the composites round as pixman's 8-bit arithmetic, so
-- about one level more), and over the whole image (a dense scatter is
-- mostly marker edges) the mean difference stays below one level.
local canns = require "canns"

local function render(n, opts, sizes_array)
  canns.random.seed(3)
  local x = canns.random.uniform({n}, -0.1, 1.1)
  local y = canns.random.uniform({n}, -0.1, 1.1)
  local c = canns.random.uniform({n}, 0, 1)
  local fig = canns.core.plot_figure{figsize = {4, 3}}
  local ax = fig:subplot(1, 1, 1)
  local o = {}
  for k, v in pairs(opts) do o[k] = v end
  o.c = o.color == nil and c or nil
  if sizes_array then o.s = canns.ones({n}) * opts.s end
  ax:scatter(x, y, o)
  ax:set_xlim(0, 1); ax:set_ylim(0, 1)           -- markers cut by the axes box
  local w, h, rgb = fig:render{dpi = 97}
  fig:close()
  return w, h, rgb
end

local function compare(n, opts)
  local w1, h1, a = render(n, opts, false)
  local w2, h2, b = render(n, opts, true)
  assert.are.equal(w1, w2); assert.are.equal(h1, h2)
  local sum, max, diff = 0, 0, 0
  for i = 1, #a do
    local d = math.abs(a:byte(i) - b:byte(i))
    sum, max = sum + d, math.max(max, d)
    if d > 0 then diff = diff + 1 end
  end
  return sum / #a, max, diff
end

describe("stamped scatter markers", function()
  it("draw as the marker paths (filled, translucent, colour-mapped, clipped)", function()
    local mean, max, diff = compare(600, {s = 20, alpha = 0.6, cmap = "jet"})
    assert.is_true(diff > 0 or max == 0)
    assert.is_true(mean < 1, ("mean %.3f"):format(mean))
    assert.is_true(max <= 40, ("max %d"):format(max))
  end)

  it("draw as the paths for small and unfilled markers", function()
    for _, o in ipairs({{s = 4, cmap = "viridis"}, {s = 30, marker = "x", color = "black"},
                        {s = 12, marker = "s", color = "tab:red", alpha = 0.5}}) do
      local mean, max = compare(400, o)
      assert.is_true(mean < 1, ("%s: mean %.3f"):format(o.marker or "o", mean))
      assert.is_true(max <= 40, ("%s: max %d"):format(o.marker or "o", max))
    end
  end)

  it("leave fewer markers to the paths", function()
    local mean, max = compare(100, {s = 20, alpha = 0.6, cmap = "jet"})
    assert.are.equal(0, max)
    assert.are.equal(0, mean)
  end)
end)
