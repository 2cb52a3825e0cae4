-- canns.spatial.PlotStyle and the predefined styles against canns-lib
-- 0.11's dataclass and constants (every field's value, written by
-- scripts/fixtures/make_plotstyle_fixtures.py); styles reach
-- plot_environment by name, as a PlotStyle or as a table of fields; bad
-- fields are errors.
local canns = require "canns"
local sp = canns.spatial

local function reference()
  local ref = {}
  for line in io.lines(testutil.fixture("spatial/plot_styles.tsv")) do
    local style, field, kind, value = line:match("^([^\t]+)\t([^\t]+)\t([^\t]+)\t(.*)$")
    if kind == "number" then value = tonumber(value)
    elseif kind == "boolean" then value = value == "True" end
    ref[style] = ref[style] or {}
    ref[style][field] = value
  end
  return ref
end

describe("PlotStyle", function()
  local ref = reference()
  it("has canns-lib's fields and defaults", function()
    local st, n = sp.PlotStyle(), 0
    for k, v in pairs(ref.default) do assert.equal(v, st[k], k); n = n + 1 end
    local m = 0
    for _ in pairs(st) do m = m + 1 end
    assert.equal(n, m) -- no field canns-lib lacks
    assert.equal(19, n)
  end)

  it("has canns-lib's predefined styles", function()
    for name, key in pairs({simulation = "STYLE_SIMULATION", scientific = "STYLE_SCIENTIFIC",
                            publication = "STYLE_PUBLICATION"}) do
      for k, v in pairs(ref[name]) do
        assert.equal(v, sp[key][k], name .. "." .. k)
        assert.equal(v, sp.styles[name][k], name .. "." .. k)
      end
    end
  end)

  it("styles environment plots", function()
    local env = sp.Environment{}
    local dir = testutil.tmpdir()
    for _, st in ipairs({"scientific", "publication", sp.PlotStyle{show_grid = true}, {wall_color = "red"}}) do
      local ax, fig = sp.plot_environment(env, {style = st})
      assert.is_truthy(ax)
      fig:savefig(dir .. "/env.png")
      assert.is_true(testutil.exists(dir .. "/env.png"))
    end
    testutil.rmtree(dir)
  end)

  it("rejects bad fields naming them", function()
    testutil.fails_with("PlotStyle: argument 1 (fields) has no field 'wall_colour'", sp.PlotStyle, {wall_colour = "red"})
    testutil.fails_with("argument 1 (fields.show_axes) must be a boolean", sp.PlotStyle, {show_axes = 1})
    testutil.fails_with("argument 1 (fields.wall_linewidth) must be a number", sp.PlotStyle, {wall_linewidth = "2"})
    testutil.fails_with("has no field 'colour'", sp.plot_environment, sp.Environment{}, {style = {colour = 1}})
    testutil.fails_with("style", sp.plot_environment, sp.Environment{}, {style = "fancy"})
  end)
end)
