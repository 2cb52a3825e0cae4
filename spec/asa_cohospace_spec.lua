-- CohoSpace, phase centres and CohoScore against the Python toolkit
-- (canns 1.5.0): fixtures from scripts/fixtures/make_asa_cohospace_fixtures.py
-- (upstream's decoding of the synthetic session in spec/fixtures/asa).
local canns = require "canns"
local asa = canns.analyzer.data.asa

local function L(n) return canns.load(testutil.fixture("asa/" .. n .. ".npy")) end

local function cmp(a, b)
  local na, nb = canns.isnan(a), canns.isnan(b)
  local same = testutil.maxabs(na, nb) == 0
  return (canns.where(na, 0, a) - canns.where(nb, 0, b)):abs():max(), same
end

local E = L("embed_smooth")
local coords = L("dec_coords")
local times = L("dec_times") + 1
local dec = {coords = coords, coordsbox = coords, times = times, times_box = times}

describe("cohospace", function()
  it("gives upstream's rate maps and phase centres", function()
    local r = asa.cohospace(dec, E, {bins = 21})
    local err, same = cmp(r.rate_maps, L("coho_maps"))
    assert.is_true(same)
    assert.is_true(err < 1e-9, "maps " .. err)
    local ce = cmp(r.centers, L("coho_centers"))
    assert.is_true(ce < 1e-9, "centres " .. ce)
    local s = asa.cohospace(dec, E, {bins = 21, smooth_sigma = 1.0})
    err, same = cmp(s.rate_maps, L("coho_maps_s"))
    assert.is_true(same)
    assert.is_true(err < 1e-9, "smoothed maps " .. err)
    assert.is_true(cmp(s.centers, L("coho_centers_s")) < 1e-9)
    local pc = asa.cohospace_phase_centers(s)
    assert.same({E:shape(2), 2}, pc.centers_skew:shape())
  end)
  it("draws the maps and the centres", function()
    local dir = testutil.tmpdir()
    local r = asa.cohospace(dec, E, {bins = 11})
    asa.plot_cohospace(r, {neuron_id = 3, save_path = dir .. "/c.png"})
    asa.plot_cohospace_phase_centers(r, {save_path = dir .. "/pc.png"})
    asa.plot_cohospace_phase_centers(r, {neuron_id = 2, show_all = true, save_path = dir .. "/pc2.png"})
    for _, f in ipairs({"c", "pc", "pc2"}) do assert.is_true(testutil.exists(dir .. "/" .. f .. ".png")) end
    testutil.rmtree(dir)
    testutil.fails_with("option 'neuron_id' is too large", asa.plot_cohospace, r, {neuron_id = 99})
  end)
  it("refuses mismatched input", function()
    testutil.fails_with("spikes length must match coords length", asa.cohospace, coords, E:slice(1, {1, 10}))
    testutil.fails_with("must be a (T, 2+) matrix", asa.cohospace, coords:slice(2, {1, 1}), E)
    testutil.fails_with("option 'times' must index", asa.cohospace, coords, E, {times = times + 5000})
  end)
end)

describe("CohoScore", function()
  local act = canns.core.asa.take(E:astype("float64"), times)
  it("matches upstream (top 2 %, activity > 0, 1-D top 5 %)", function()
    assert.is_true(cmp(asa.compute_cohoscore_scatter_2d(coords, act), L("coho_score2")) < 1e-12)
    assert.is_true(cmp(asa.compute_cohoscore_scatter_2d(coords, act, false), L("coho_score0")) < 1e-12)
    assert.is_true(cmp(asa.compute_cohoscore_scatter_1d(coords:slice(2, {1, 1}), act, 5.0),
                       L("coho_score1d")) < 1e-12)
    -- times picks the rows of the full activity
    assert.is_true(cmp(asa.compute_cohoscore_scatter_2d(coords, E, 2.0, {times = times}),
                       L("coho_score2")) < 1e-12)
  end)
  it("refuses mismatched input", function()
    testutil.fails_with("activity length must match coords length", asa.compute_cohoscore_scatter_2d,
                        coords, act:slice(1, {1, 50}))
    testutil.fails_with("top_percent", asa.compute_cohoscore_scatter_2d, coords, act, 0)
  end)
end)
