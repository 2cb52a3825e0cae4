-- FR heatmap and FRM (canns.analyzer.data.asa.fr) against the Python
-- toolkit (canns 1.5.0): fixtures from scripts/fixtures/make_asa_fr_fixtures.py
-- on the synthetic session of spec/fixtures/asa.
local canns = require "canns"
local asa = canns.analyzer.data.asa

local function L(n) return canns.load(testutil.fixture("asa/" .. n .. ".npy")) end

-- max |a - b| where both are finite, and whether the NaN cells agree
local function cmp(a, b)
  local na, nb = canns.isnan(a), canns.isnan(b)
  local same = testutil.maxabs(na, nb) == 0
  return (canns.where(na, 0, a) - canns.where(nb, 0, b)):abs():max(), same
end

describe("compute_fr_heatmap_matrix", function()
  local C = L("embed_counts")
  it("slices, normalises and transposes as upstream", function()
    local z = asa.compute_fr_heatmap_matrix(C, {3, 20}, {101, 2000}, {normalize = "zscore_per_neuron"})
    local ref = L("fr_heat_z")
    assert.same(ref:shape(), z:shape())
    assert.is_true(cmp(z, ref) < 1e-12)
    local m = asa.compute_fr_heatmap_matrix(C, {3, 20}, {101, 2000}, {transpose = false,
                                                                       normalize = "minmax_per_neuron"})
    assert.same(L("fr_heat_mm"):shape(), m:shape())
    assert.is_true(cmp(m, L("fr_heat_mm")) < 1e-12)
    local raw = asa.compute_fr_heatmap_matrix(C)
    assert.same({C:shape(2), C:shape(1)}, raw:shape())
    assert.equal(C:get(7, 5), raw:get(5, 7))
  end)
  it("clamps ranges and refuses bad input", function()
    assert.same({25, 0}, asa.compute_fr_heatmap_matrix(C, nil, {5000, 6000}):shape())
    testutil.fails_with("must be a (T, N) matrix", asa.compute_fr_heatmap_matrix, canns.zeros(4))
    testutil.fails_with("option 'normalize' must be one of", asa.compute_fr_heatmap_matrix, C, nil, nil,
                        {normalize = "z"})
  end)
  it("draws the heatmap", function()
    local dir = testutil.tmpdir()
    asa.save_fr_heatmap_png(asa.compute_fr_heatmap_matrix(C, nil, {1, 500}),
                            {save_path = dir .. "/fr.png", dpi = 50})
    assert.is_true(testutil.exists(dir .. "/fr.png"))
    testutil.rmtree(dir)
  end)
end)

describe("compute_frm", function()
  local E, x, y = L("embed_smooth"), L("session_x"), L("session_y")
  it("bins a neuron's activity over the arena as upstream", function()
    local r = asa.compute_frm(E, x, y, 4, {bins = 20})
    local err, same = cmp(r.frm, L("frm_plain"))
    assert.is_true(same)
    assert.is_true(err < 1e-9, "max error " .. err)
    assert.equal(0, testutil.maxabs(r.occupancy, L("frm_occ")))
    -- the sample at the maximum x is dropped, as upstream
    local xm, ym, at_max = x:max(), y:max(), 0
    for i = 1, x:size() do
      if x:get(i) == xm or y:get(i) == ym then at_max = at_max + 1 end
    end
    assert.is_true(at_max >= 2)
    assert.equal(x:size() - at_max, r.occupancy:sum())
  end)
  it("smooths with the NaN-aware normalised convolution as upstream", function()
    local r = asa.compute_frm(E, x, y, 4, {bins = 20, min_occupancy = 3, smoothing = true, sigma = 1.5})
    local err, same = cmp(r.frm, L("frm_smooth"))
    assert.is_true(same)
    assert.is_true(err < 1e-9, "max error " .. err)
  end)
  it("returns an FRMResult whose fields agree with a plain binning", function()
    local r = asa.compute_frm(E, x, y, 4, {bins = 20})
    assert.equal("FRMResult", getmetatable(r).__name)
    assert.equal("FRMResult(frm={20, 20}, occupancy={20, 20}, spike_sum={20, 20}, x_edges={21}, y_edges={21})",
                 tostring(r))
    -- edges: linspace(min, max, bins + 1); cells: right insertion index - 1
    local x0, x1, y0, y1 = x:min(), x:max(), y:min(), y:max()
    for k = 1, 21 do
      assert.is_true(math.abs(r.x_edges:get(k) - (x0 + (k - 1) * (x1 - x0) / 20)) < 1e-9)
      assert.is_true(math.abs(r.y_edges:get(k) - (y0 + (k - 1) * (y1 - y0) / 20)) < 1e-9)
    end
    local occ, sum = {}, {}
    for i = 1, 20 do occ[i], sum[i] = {}, {} for j = 1, 20 do occ[i][j], sum[i][j] = 0, 0 end end
    local function cell(v, e)
      local c = 0
      for k = 1, 21 do if e:get(k) <= v then c = k end end
      return c
    end
    for t = 1, x:size() do
      local i, j = cell(x:get(t), r.x_edges), cell(y:get(t), r.y_edges)
      if i >= 1 and i <= 20 and j >= 1 and j <= 20 then
        occ[i][j] = occ[i][j] + 1
        sum[i][j] = sum[i][j] + E:get(t, 4)
      end
    end
    assert.equal("int64", r.occupancy:dtype())
    for i = 1, 20 do
      for j = 1, 20 do
        assert.equal(occ[i][j], r.occupancy:get(i, j))
        assert.is_true(math.abs(sum[i][j] - r.spike_sum:get(i, j)) < 1e-9)
        local f = r.frm:get(i, j)
        if occ[i][j] == 0 then assert.is_true(f ~= f)
        else assert.is_true(math.abs(f - sum[i][j] / occ[i][j]) < 1e-9) end
      end
    end
    -- the class itself, as upstream's dataclass (absent fields are nil)
    local m = asa.FRMResult{frm = {{1, 2}, {3, 4}}, occupancy = r.occupancy}
    assert.equal("float64", m.frm:dtype())
    assert.equal(r.occupancy, m.occupancy)
    assert.is_nil(m.x_edges)
    assert.equal("FRMResult", getmetatable(m).__name)
    testutil.fails_with("FRMResult: unknown option 'rate'", asa.FRMResult, {rate = r.frm})
    testutil.fails_with("FRMResult: option 'frm' must be an array", asa.FRMResult, {frm = "map"})
  end)
  it("draws the map and refuses bad input", function()
    local dir = testutil.tmpdir()
    asa.plot_frm(asa.compute_frm(E, x, y, 1).frm, {save_path = dir .. "/frm.png", dpi = 50})
    assert.is_true(testutil.exists(dir .. "/frm.png"))
    testutil.rmtree(dir)
    testutil.fails_with("argument 4 (neuron_id) is too large", asa.compute_frm, E, x, y, 26)
    testutil.fails_with("one sample per row", asa.compute_frm, E, x:slice(1, {1, 10}), y, 1)
    testutil.fails_with("option 'bins' must be", asa.compute_frm, E, x, y, 1, {bins = 0})
  end)
end)
