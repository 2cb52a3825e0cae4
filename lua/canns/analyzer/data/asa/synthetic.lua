--- Synthetic ASA sessions (a canns addition): grid cells on a twisted torus
-- along a random-walk rat trajectory, and head-direction cells on a ring,
-- with Poisson-like spikes (at most one per 10 ms bin) from the model's
-- rates; in the layout `embed_spike_trains` reads.  Used by the examples,
-- the benchmark and the tests, so that nothing needs a download.
-- @module canns.analyzer.data.asa.synthetic

local canns_core = require "canns.core"
local A = require "canns.argcheck"

local M = {}

-- Uniform draws in [0, 1) from canns' Philox generator (seeded; the global
-- math.random state is left alone), drawn in blocks.
local function uniform_stream(seed)
  local g = canns_core.random.Generator(seed)
  local buf, pos, len = nil, 1, 0
  return function()
    if pos > len then
      buf = g:uniform(65536, 0, 1, "float64"):totable()
      pos, len = 1, #buf
    end
    local v = buf[pos]
    pos = pos + 1
    return v
  end
end

local function trajectory(T, box, rng)
  local x, y = {}, {}
  x[1], y[1] = box / 2, box / 2
  local ang = 0
  for i = 2, T do
    -- heading diffusion (Gaussian by Box-Muller), speed 15-30 cm/s
    local u1, u2 = rng(), rng()
    ang = ang + 0.25 * math.sqrt(-2 * math.log(1 - u1)) * math.cos(2 * math.pi * u2)
    local step = 0.0015 + 0.0015 * math.abs(math.sin(i / 300))
    local nx, ny = x[i - 1] + step * math.cos(ang), y[i - 1] + step * math.sin(ang)
    if nx < 0 or nx > box or ny < 0 or ny > box then
      ang = ang + math.pi
      nx, ny = x[i - 1], y[i - 1]
    end
    x[i], y[i] = nx, ny
  end
  return x, y
end

local function spikes_from(rate_fn, T, N, dt, rng)
  local spk = {}
  for n = 1, N do spk[n] = {} end
  for i = 1, T do
    local t = (i - 1) * dt
    for n = 1, N do
      local p = rate_fn(i, n) * dt
      local u = rng()
      if u < p then
        local s = spk[n]
        s[#s + 1] = t + dt * (u / p)
      end
    end
  end
  for n = 1, N do spk[n] = canns_core.array(#spk[n] > 0 and spk[n] or {}, "float64") end
  return spk
end

--- A grid-cell session: `n_side`² cells whose phases tile the twisted
-- torus of a hexagonal grid (spacing `spacing` m) in a `box` m square.
-- Options: `T` (20000 samples of 10 ms), `n_side` (6), `spacing` (0.5),
-- `box` (1.0), `peak` (25 Hz), `base` (0.5 Hz), `kappa` (1.5), `seed` (0).
-- @treturn table `{spike, t, x, y, phase1, phase2}` (phases of the true
--   position, radians)
function M.synthetic_grid_session(opts)
  local f = "synthetic_grid_session"
  local o = A.options(opts, f, {"T", "n_side", "spacing", "box", "peak", "base", "kappa", "seed"})
  local T = A.count(o.T, f, "T", nil, {min = 2, default = 20000, max = 1e8})
  local ns = A.count(o.n_side, f, "n_side", nil, {min = 1, default = 6, max = 100})
  local spacing = A.number(o.spacing, f, "spacing", nil, {gt = 0, default = 0.5})
  local box = A.number(o.box, f, "box", nil, {gt = 0, default = 1.0})
  local peak = A.number(o.peak, f, "peak", nil, {min = 0, default = 25})
  local base = A.number(o.base, f, "base", nil, {min = 0, default = 0.5})
  local kappa = A.number(o.kappa, f, "kappa", nil, {min = 0, default = 1.5})
  local seed = A.int(o.seed, f, "seed", nil, {min = 0, default = 0, max = math.huge})
  local rng = uniform_stream(seed)
  local x, y = trajectory(T, box, rng)
  local th1, th2, t = {}, {}, {}
  for i = 1, T do
    t[i] = (i - 1) * 0.01
    th1[i] = 2 * math.pi * (x[i] - y[i] / math.sqrt(3)) / spacing
    th2[i] = 2 * math.pi * (2 * y[i] / math.sqrt(3)) / spacing
  end
  local a, b = {}, {}
  for n = 1, ns * ns do
    a[n] = ((n - 1) // ns) * 2 * math.pi / ns
    b[n] = ((n - 1) % ns) * 2 * math.pi / ns
  end
  local spike = spikes_from(function(i, n)
    return base + peak * math.exp(kappa * (math.cos(th1[i] - a[n]) + math.cos(th2[i] - b[n]) - 2))
  end, T, ns * ns, 0.01, rng)
  local P1, P2 = {}, {}
  for i = 1, T do P1[i], P2[i] = th1[i] % (2 * math.pi), th2[i] % (2 * math.pi) end
  return {spike = spike, t = canns_core.array(t, "float64"), x = canns_core.array(x, "float64"),
          y = canns_core.array(y, "float64"), phase1 = canns_core.array(P1, "float64"),
          phase2 = canns_core.array(P2, "float64")}
end

--- A head-direction session: `N` cells with preferred directions evenly
-- on the ring, a smooth random-walk heading.  Options: `T` (20000), `N`
-- (40), `peak` (30 Hz), `base` (0.5 Hz), `kappa` (3), `seed` (0).  `x`, `y`
-- hold a random-walk trajectory as in the grid session.
-- @treturn table `{spike, t, x, y, hd}`
function M.synthetic_hd_session(opts)
  local f = "synthetic_hd_session"
  local o = A.options(opts, f, {"T", "N", "peak", "base", "kappa", "seed"})
  local T = A.count(o.T, f, "T", nil, {min = 2, default = 20000, max = 1e8})
  local N = A.count(o.N, f, "N", nil, {min = 1, default = 40, max = 10000})
  local peak = A.number(o.peak, f, "peak", nil, {min = 0, default = 30})
  local base = A.number(o.base, f, "base", nil, {min = 0, default = 0.5})
  local kappa = A.number(o.kappa, f, "kappa", nil, {min = 0, default = 3})
  local seed = A.int(o.seed, f, "seed", nil, {min = 0, default = 0, max = math.huge})
  local rng = uniform_stream(seed)
  local x, y = trajectory(T, 1.0, rng)
  local hd, t, w = {}, {}, 0
  local h = 0
  for i = 1, T do
    t[i] = (i - 1) * 0.01
    local u1, u2 = rng(), rng()
    w = 0.98 * w + 0.02 * math.sqrt(-2 * math.log(1 - u1)) * math.cos(2 * math.pi * u2)
    h = h + 0.1 * w
    hd[i] = h % (2 * math.pi)
  end
  local spike = spikes_from(function(i, n)
    return base + peak * math.exp(kappa * (math.cos(hd[i] - 2 * math.pi * (n - 1) / N) - 1))
  end, T, N, 0.01, rng)
  return {spike = spike, t = canns_core.array(t, "float64"), x = canns_core.array(x, "float64"),
          y = canns_core.array(y, "float64"), hd = canns_core.array(hd, "float64")}
end

return M
