-- ASA end to end on the synthetic sessions: the barcode shows the
-- attractor's topology beyond the null model and the decoded phases track
-- the true ones (theory: a grid module is a torus, head-direction cells a
-- ring).  Seeds are fixed, so the run is reproducible.
local canns = require "canns"
local asa = canns.analyzer.data.asa

local CFG = {maxdim = 1, show = false, progress_bar = false, active_times = 2000, k = 300,
             n_points = 300, nbs = 200, do_shuffle = true, num_shuffles = 10, shuffle_seed = 1}

local function lifetimes(dg)
  local l = {}
  for i = 1, dg:shape(1) do l[i] = dg:get(i, 2) - dg:get(i, 1) end
  table.sort(l, function(a, b) return a > b end)
  return l
end

local function count_above(l, thr)
  local n = 0
  for _, v in ipairs(l) do if v > thr then n = n + 1 end end
  return n
end

-- mean circular error (in periods) of decoded column c against the best
-- of a * phase1 + b * phase2 (a, b in {-1, 0, 1}), after the best shift:
-- the decoded circles are a basis of the torus up to its symmetries
local function tracking_error(dec, c, p1, p2)
  local best = math.huge
  local n = dec.times:size()
  for a = -1, 1 do
    for b = -1, 1 do
      if a ~= 0 or b ~= 0 then
        local dif, sx, sy = {}, 0, 0
        for i = 1, n do
          local r = dec.times:get(i)
          local d = dec.coords:get(i, c) - (a * p1:get(r) + (p2 and b * p2:get(r) or 0))
          dif[i] = d
          sx, sy = sx + math.cos(d), sy + math.sin(d)
        end
        local off, tot = math.atan(sy, sx), 0
        for i = 1, n do
          local d = (dif[i] - off) % (2 * math.pi)
          tot = tot + math.min(d, 2 * math.pi - d)
        end
        best = math.min(best, tot / n / (2 * math.pi))
      end
      if not p2 then break end
    end
  end
  return best
end

describe("ASA end to end", function()
  it("finds the torus of a grid module and decodes its phases", function()
    local s = asa.synthetic_grid_session{T = 30000, n_side = 8, seed = 1}
    local E = asa.embed_spike_trains(s, {speed_filter = false})
    local r = asa.tda_vis(E, CFG)
    local thr0 = canns.analyzer.tda.percentile(r.shuffle_max[1], 99)
    local thr1 = canns.analyzer.tda.percentile(r.shuffle_max[2], 99)
    assert.equal(1, count_above(lifetimes(r.persistence.dgms[1]), thr0))
    assert.equal(2, count_above(lifetimes(r.persistence.dgms[2]), thr1))
    local dec = asa.decode_circular_coordinates_multi(r, E, {num_circ = 2})
    for c = 1, 2 do
      local err = tracking_error(dec, c, s.phase1, s.phase2)
      assert.is_true(err < 0.10, "circle " .. c .. ": mean error " .. err .. " of a period")
    end
    -- the cavity of the torus: one H2 bar far longer than the rest
    local c2 = {}
    for k, v in pairs(CFG) do c2[k] = v end
    c2.maxdim, c2.do_shuffle = 2, false
    local l2 = lifetimes(asa.tda_vis(E, c2).persistence.dgms[3])
    assert.is_true(l2[1] > 2 * l2[2], string.format("H2 bars %g, %g", l2[1], l2[2]))
  end)
  it("finds the ring of head-direction cells and decodes the heading", function()
    local s = asa.synthetic_hd_session{T = 20000, N = 40, seed = 1}
    local E = asa.embed_spike_trains(s, {speed_filter = false})
    local r = asa.tda_vis(E, CFG)
    local thr1 = canns.analyzer.tda.percentile(r.shuffle_max[2], 99)
    assert.equal(1, count_above(lifetimes(r.persistence.dgms[2]), thr1))
    testutil.fails_with("asks for 60 circular coordinates, but only", asa.decode_circular_coordinates_multi,
                        r, E, {num_circ = 60})
    local dec = asa.decode_circular_coordinates_multi(r, E, {num_circ = 1})
    local err = tracking_error(dec, 1, s.hd, nil)
    assert.is_true(err < 0.10, "mean error " .. err .. " of a period")
  end)
end)
