-- canns.analyzer.metrics: firing fields, heat-map smoothing and the
-- spike/rate utilities against canns 1.5.0 fixtures
-- (scripts/fixtures/make_metrics_utils_fixtures.py), a plain Lua binning
-- reference, theory for the Bernoulli spike train, and bad arguments.
local canns = require "canns"
local M = canns.analyzer.metrics

local function fx(name) return canns.load(testutil.fixture("metrics/" .. name .. ".npy")) end
local maxabs = testutil.maxabs

-- numpy floor division (fmod based), written independently of the C code
local function floordiv(a, b)
  local mod = math.fmod(a, b)
  local div = (a - mod) / b
  if mod ~= 0 and ((b < 0) ~= (mod < 0)) then div = div - 1 end
  local f = math.floor(div)
  if div - f > 0.5 then f = f + 1 end
  return f
end

local function plain_field(act, pos, w, h, m, k)
  local T, N = act:shape()[1], act:shape()[2]
  local sum, cnt = {}, {}
  for t = 1, T do
    local bx = math.max(0, math.min(m - 1, floordiv(pos[{t, 1}], w / m)))
    local by = math.max(0, math.min(k - 1, floordiv(pos[{t, 2}], h / k)))
    local b = bx * k + by
    cnt[b] = (cnt[b] or 0) + 1
    for n = 1, N do
      local key = (n - 1) * m * k + b
      sum[key] = (sum[key] or 0) + act[{t, n}]
    end
  end
  local out = canns.zeros({N, m, k}, "float64")
  for n = 1, N do
    for bx = 0, m - 1 do
      for by = 0, k - 1 do
        local b = bx * k + by
        if cnt[b] then out[{n, bx + 1, by + 1}] = sum[(n - 1) * m * k + b] / cnt[b] end
      end
    end
  end
  return out
end

describe("canns.analyzer.metrics firing fields and spike/rate utilities", function()
  it("bins a population's activity into firing fields as upstream", function()
    local act, pos = fx "ff_act", fx "ff_pos"
    local ff = M.compute_firing_field(act, pos, 1.5, 1.2, 10, 8)
    assert.are.same({5, 10, 8}, ff:shape())
    assert.is_true(maxabs(ff, fx "ff_out") < 1e-12)
    assert.is_true(maxabs(ff, plain_field(act, pos, 1.5, 1.2, 10, 8)) < 1e-12)
    -- float32 activity is summed in float64, as numpy does
    local f32 = M.compute_firing_field(act:astype("float32"), pos, 1.5, 1.2, 10, 8)
    assert.is_true(maxabs(f32, fx "ff_out") < 1e-6)
    -- tables work too; 1.0 // 0.1 is 9 (numpy), not 10
    local one = M.compute_firing_field({{7}}, {{1.0, 0}}, 2.0, 1.0, 20, 1)
    assert.are.equal(7, one[{1, 10, 1}])
    assert.are.equal(0, one[{1, 11, 1}])
  end)

  it("smooths each map alone and keeps zeros as upstream", function()
    local ff = fx "ff_out"
    assert.is_true(maxabs(M.gaussian_smooth_heatmaps(ff), fx "ff_smooth1") < 1e-12)
    assert.is_true(maxabs(M.gaussian_smooth_heatmaps(ff, 1.7), fx "ff_smooth17") < 1e-12)
    assert.is_true(maxabs(M.gaussian_smooth_heatmaps(ff, 0), ff) == 0)
    local s32 = M.gaussian_smooth_heatmaps(ff:astype("float32"), 1.0)
    assert.are.equal("float32", s32:dtype())
    assert.is_true(maxabs(s32, fx "ff_smooth1") < 1e-5)
  end)

  it("counts spikes per coarse bin with numpy's float edges", function()
    local s = fx "spikes"
    local r1 = M.spike_train_to_firing_rate(s, 0.001, 0.1)
    assert.are.same({10, 4}, r1:shape())
    assert.is_true(maxabs(r1, fx "rate_01") == 0)
    assert.is_true(maxabs(M.spike_train_to_firing_rate(s, 0.001, 0.05), fx "rate_005") == 0)
    -- every step spiking: 100 per bin, the edge spike at 0.3 s lands in bin 3
    local ones = M.spike_train_to_firing_rate(canns.ones({1000, 1}), 0.001, 0.1)
    assert.are.equal(101, ones[{3, 1}])
    assert.are.equal(1000, ones:sum())
    -- a duration that is not a multiple of dt_rate (upstream raises): the
    -- partial last bin is dropped
    local r = M.spike_train_to_firing_rate(canns.ones({999, 2}), 0.001, 0.1)
    assert.are.same({9, 2}, r:shape())
    assert.are.equal(900, r:sum() / 2)
  end)

  it("draws Bernoulli spike trains with the interpolated probabilities", function()
    canns.random.seed(5)
    -- rates ramp 0..0.9 over 10 coarse bins; 4000 neurons share them
    local R, N = 10, 4000
    local rates = canns.zeros({R, N}, "float64")
    for k = 1, R do for n = 1, N do rates[{k, n}] = (k - 1) * 0.1 end end
    local s = M.firing_rate_to_spike_train(rates, 0.1, 0.01)
    assert.are.same({100, N}, s:shape())
    assert.are.equal("int32", s:dtype())
    for i = 0, 99, 7 do
      local t = i * 0.01
      -- numpy interp on bin centres (k + 0.5) * 0.1, clamped at both ends
      local v = math.max(0, math.min(0.9, (t - 0.05) / 0.1 * 0.1))
      local p = v * 0.1
      local mean = s:slice(1, i + 1):sum() / N
      local sd = math.sqrt(math.max(p * (1 - p), 1e-12) / N)
      assert.is_true(math.abs(mean - p) < 5 * sd + 1e-12, ("row %d: %g vs %g"):format(i, mean, p))
    end
    -- probabilities above 1 are clipped: every step spikes
    local all = M.firing_rate_to_spike_train(canns.full({3, 2}, 500.0, "float64"), 0.1, 0.001)
    assert.are.equal(600, all:sum())
    -- the same seed gives the same train
    canns.random.seed(9)
    local a = M.firing_rate_to_spike_train(rates, 0.1, 0.01)
    canns.random.seed(9)
    assert.are.equal(0, maxabs(a, M.firing_rate_to_spike_train(rates, 0.1, 0.01)))
  end)

  it("normalises firing rates as upstream", function()
    local r = fx "rates"
    assert.is_true(maxabs(M.normalize_firing_rates(r), fx "norm_minmax") < 1e-12)
    assert.is_true(maxabs(M.normalize_firing_rates(r, "z_score"), fx "norm_z") < 1e-12)
    assert.is_true(maxabs(M.normalize_firing_rates(canns.full({3, 3}, 2.0)), canns.zeros({3, 3})) == 0)
  end)

  it("rejects bad arguments with a message naming them", function()
    local a, p = canns.ones({4, 2}), canns.zeros({4, 2})
    testutil.fails_with("argument 2 (positions) must be (4, 2)", M.compute_firing_field, a, canns.zeros({3, 2}), 1, 1, 2, 2)
    testutil.fails_with("width", M.compute_firing_field, a, p, 0, 1, 2, 2)
    testutil.fails_with("height", M.compute_firing_field, a, p, 1, 0 / 0, 2, 2)
    testutil.fails_with("M", M.compute_firing_field, a, p, 1, 1, 0, 2)
    testutil.fails_with("K", M.compute_firing_field, a, p, 1, 1, 2, 2 ^ 53)
    testutil.fails_with("A", M.compute_firing_field, canns.ones({4}), p, 1, 1, 2, 2)
    local bad = canns.zeros({4, 2}); bad[{2, 1}] = 0 / 0
    testutil.fails_with("argument 2 (positions) must not contain NaN", M.compute_firing_field, a, bad, 1, 1, 2, 2)
    testutil.fails_with("sigma", M.gaussian_smooth_heatmaps, canns.ones({2, 3, 3}), -1)
    testutil.fails_with("heatmaps", M.gaussian_smooth_heatmaps, canns.ones({3, 3}))
    testutil.fails_with("dt_rate", M.spike_train_to_firing_rate, canns.ones({10, 2}), 0.1, 0.01)
    testutil.fails_with("dt_spike", M.spike_train_to_firing_rate, canns.ones({10, 2}), -1, 0.1)
    testutil.fails_with("dt_spike", M.firing_rate_to_spike_train, canns.ones({10, 2}), 0.01, 0.1)
    testutil.fails_with("firing_rates", M.firing_rate_to_spike_train, canns.full({2, 2}, 0 / 0), 0.1, 0.01)
    testutil.fails_with("method", M.normalize_firing_rates, canns.ones({2, 2}), "l2")
    testutil.fails_with("firing_rates", M.normalize_firing_rates, "x")
  end)
end)
