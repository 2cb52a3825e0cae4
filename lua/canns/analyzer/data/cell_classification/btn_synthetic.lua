--- Synthetic spike trains of the three BTN classes (a canns addition for
-- examples and tests; upstream ships none): bursty cells (bursts of 2-5
-- spikes 2-6 ms apart at Poisson onsets, over a sparse Poisson
-- background), theta-modulated cells (an inhomogeneous Poisson process
-- with rate `rate * (1 + depth * cos(2 pi f t))`, by thinning) and
-- Poisson cells.
--
--     local d = cc.synthetic_btn_spike_trains{n_per_class = 20, duration = 60, seed = 1}
--     local r = cc.BTNAnalyzer(cc.BTNConfig{n_clusters = 3, nbs = 8}):classify_btn(d)
--     -- d.truth[i] is "B", "T" or "N"
-- @module canns.analyzer.data.cell_classification.btn_synthetic
local core = require "canns.core"
local A = require "canns.argcheck"

local M = {}

-- Exponential waiting times of a Poisson process of `rate` on [0, T).
local function poisson_times(g, rate, T)
  local out, t = {}, 0.0
  if rate <= 0 then return out end
  while true do
    local u = g:uniform(math.max(64, math.ceil(rate * T * 0.25)), 0, 1, "float64"):totable()
    for _, x in ipairs(u) do
      t = t - math.log(1.0 - x) / rate
      if t >= T then return out end
      out[#out + 1] = t
    end
  end
end

local function bursty(g, o)
  local sp = {}
  for _, s in ipairs(poisson_times(g, o.burst_rate, o.duration)) do
    local u = g:uniform(6, 0, 1, "float64"):totable()
    local k = 2 + math.floor(u[1] * 4) -- 2..5 spikes
    local t = s
    for j = 1, k do
      if t < o.duration then sp[#sp + 1] = t end
      t = t + 0.002 + 0.004 * u[j + 1]
    end
  end
  for _, s in ipairs(poisson_times(g, o.background_rate, o.duration)) do sp[#sp + 1] = s end
  table.sort(sp)
  return sp
end

local function theta(g, o)
  local cand = poisson_times(g, o.theta_rate * (1 + o.theta_depth), o.duration)
  local u = #cand > 0 and g:uniform(#cand, 0, 1, "float64"):totable() or {}
  local sp = {}
  for i, s in ipairs(cand) do
    if u[i] < (1 + o.theta_depth * math.cos(2 * math.pi * o.theta_freq * s)) / (1 + o.theta_depth) then
      sp[#sp + 1] = s
    end
  end
  return sp
end

--- Spike trains of `n_per_class` bursty, theta-modulated and Poisson cells.
-- @tparam[opt] table opts `n_per_class` (20), `duration` (s, 60), `seed`
--   (0), `burst_rate` (bursts/s, 1.5), `background_rate` (0.5 Hz),
--   `theta_rate` (8 Hz mean), `theta_freq` (8 Hz), `theta_depth` (1.0),
--   `poisson_rate` (6 Hz), `dt` (the time stamps' step, 0.01 s),
--   `shuffle` (true: classes interleaved in a random order)
-- @treturn table `{spike = {train, ...}, t = time stamps, truth = {"B"|"T"|"N", ...}}`
function M.synthetic_btn_spike_trains(opts)
  local fn = "synthetic_btn_spike_trains"
  local o = A.options(opts, fn, {"n_per_class", "duration", "seed", "burst_rate", "background_rate", "theta_rate",
                                 "theta_freq", "theta_depth", "poisson_rate", "dt", "shuffle"})
  local function num(k, d, spec) return A.number(o[k], fn, k, nil, spec or {min = 0, default = d}) end
  local c = {
    n = A.int(o.n_per_class, fn, "n_per_class", nil, {min = 1, max = 100000, default = 20}),
    duration = A.number(o.duration, fn, "duration", nil, {gt = 0, max = 1e6, default = 60}),
    burst_rate = num("burst_rate", 1.5), background_rate = num("background_rate", 0.5),
    theta_rate = num("theta_rate", 8.0), theta_freq = num("theta_freq", 8.0),
    theta_depth = A.number(o.theta_depth, fn, "theta_depth", nil, {min = 0, max = 1, default = 1.0}),
    poisson_rate = num("poisson_rate", 6.0),
    dt = A.number(o.dt, fn, "dt", nil, {gt = 0, default = 0.01}),
  }
  local seed = A.int(o.seed, fn, "seed", nil, {min = 0, default = 0})
  local shuffle = o.shuffle == nil and true or A.boolean(o.shuffle, fn, "shuffle")
  local g = core.random.Generator(seed)
  local trains, truth = {}, {}
  for _, cls in ipairs({"B", "T", "N"}) do
    for _ = 1, c.n do
      local s
      if cls == "B" then s = bursty(g, c)
      elseif cls == "T" then s = theta(g, c)
      else s = poisson_times(g, c.poisson_rate, c.duration) end
      trains[#trains + 1], truth[#truth + 1] = core.array(#s > 0 and s or {}, "float64"), cls
    end
  end
  if shuffle then
    local perm = g:permutation(#trains):totable()
    local t2, u2 = {}, {}
    for i, p in ipairs(perm) do t2[i], u2[i] = trains[p], truth[p] end
    trains, truth = t2, u2
  end
  local nt = math.floor(c.duration / c.dt + 0.5) + 1
  return {spike = trains, t = core.linspace(0, c.duration, nt, {dtype = "float64"}), truth = truth}
end

return M
