-- Driver of scripts/bench/learning.  arg: python or "none", repeats,
-- "full" | "quick" | "flipflop" (only the flip-flop RNN rows).
local python, reps, mode = arg[1], tonumber(arg[2]), arg[3]
local quick = mode == "quick"
local canns = require "canns"
local core = require "canns.core"

local function best_of(f)
  f() -- warm-up, as upstream's first (compiling) call
  local b = math.huge
  for _ = 1, reps do
    local t0 = core.wallclock()
    f()
    b = math.min(b, core.wallclock() - t0)
  end
  return b
end

local function pm1(p, n) return canns.where(canns.random.uniform({p, n}):lt(0.5), -1.0, 1.0) end

local cases = {}
function cases.hebbian(n)
  local pats = pm1(math.max(1, n // 10), n)
  local net = canns.models.AmariHopfieldNetwork{num_neurons = n, asyn = false, activation = "sign"}
  local tr = canns.trainer.HebbianTrainer{model = net, progress = false}
  return best_of(function() tr:train(pats) end)
end
function cases.recall(n, count)
  local P = math.max(1, n // 10)
  local pats = pm1(P, n)
  local net = canns.models.AmariHopfieldNetwork{num_neurons = n, asyn = false, activation = "sign"}
  local tr = canns.trainer.HebbianTrainer{model = net, progress = false}
  tr:train(pats)
  local probes = canns.zeros({count, n})
  for i = 1, count do
    local p = pats[(i - 1) % P + 1]:copy()
    local perm = canns.random.permutation(n)
    for k = 1, n // 10 do p[perm[k]] = -p[perm[k]] end
    probes[i] = p
  end
  return best_of(function() tr:predict_batch(probes, {num_iter = 20, show_sample_progress = false}) end)
end
local function pca_case(Trainer)
  return function(d, count)
    local scale = canns.linspace(2, 0.1, d):astype("float32")
    local data = canns.random.normal({count, d}):astype("float32") * scale
    local layer = canns.models.LinearLayer{input_size = d, output_size = 10}
    local tr = Trainer{model = layer, learning_rate = 1e-4, normalize_weights = true}
    return best_of(function() tr:train(data) end)
  end
end
cases.oja = pca_case(canns.trainer.OjaTrainer)
cases.sanger = pca_case(canns.trainer.SangerTrainer)
function cases.stdp(n, count)
  local seq = canns.where(canns.random.uniform({count, n}):lt(0.05), 1.0, 0.0)
  local layer = canns.models.SpikingLayer{input_size = n, output_size = 100}
  local tr = canns.trainer.STDPTrainer{model = layer, learning_rate = 0.01}
  return best_of(function() tr:train(seq) end)
end

local function upstream(case, size, count, pcount)
  if python == "none" then return nil end
  local p = io.popen(string.format("timeout 600 %s scripts/bench/learning_python.py %s %d %d 2>/dev/null",
                                   python, case, size, pcount or count))
  local s = p:read("a")
  p:close()
  local sec, rss = s:match("^(%S+) (%S+)")
  sec = tonumber(sec)
  -- upstream was timed on pcount items: scale linearly to count
  if sec and pcount and pcount ~= count then sec = sec * count / pcount end
  return sec, tonumber(rss)
end

local function ms(x) return x and string.format("%.2f", x * 1e3) or "—" end
local function ratio(a, b) return (a and b) and string.format("%.0f×", b / a) or "—" end

canns.random.seed(1)
print(dofile("scripts/bench/header.lua").line(python) .. string.format("; %d threads", canns.num_threads()))
print()
print("| task | size | ours (ms) | Python toolkit (ms) | upstream peak RSS (MB) | ours vs upstream |")
print("|---|---|---:|---:|---:|---:|")
local rows = {
  {"Hebbian training (0.1 N patterns)", "hebbian", 1024, 0, nil, "N = 1024"},
  {"Hebbian training (0.1 N patterns)", "hebbian", 4096, 0, nil, "N = 4096"},
  {"recall, 20 sync iterations", "recall", 1024, 1000, 50, "N = 1024, 1000 probes"},
  {"Oja, one pass, 10 outputs", "oja", 256, 100000, 20000, "1e5 x 256"},
  {"Sanger, one pass, 10 outputs", "sanger", 256, 100000, 20000, "1e5 x 256"},
  {"STDP 1000 -> 100", "stdp", 1000, 10000, nil, "1e4 steps"},
}
if quick then
  rows = {{"Hebbian training (0.1 N patterns)", "hebbian", 512, 0, nil, "N = 512"},
          {"recall, 20 sync iterations", "recall", 512, 100, 10, "N = 512, 100 probes"},
          {"Oja, one pass, 10 outputs", "oja", 64, 5000, nil, "5000 x 64"},
          {"STDP 200 -> 100", "stdp", 200, 1000, nil, "1000 steps"}}
end
if mode == "flipflop" then rows = {} end
for _, r in ipairs(rows) do
  local a = cases[r[2]](r[3], r[4])
  local u, rss = upstream(r[2], r[3], r[4], r[5])
  print(string.format("| %s | %s | %s | %s%s | %s | %s |", r[1], r[6], ms(a), ms(u),
                      r[5] and string.format(" (timed on %d, scaled)", r[5]) or "",
                      rss and string.format("%.0f", rss) or "—", ratio(a, u)))
end

-- The 3-bit flip-flop RNN of examples/flipflop_fixed_points.lua (4 tanh
-- units, 512 trials of 64 steps): BPTT + Adam steps on batches of 128, and
-- the fixed-point search of the trained network (1024 initial states).
-- Both sides start from the same parameters and states (written as .npy
-- for the Python side).
local FF = dofile("examples/lib/flipflop_data.lua")
local sp = canns.analyzer.slow_points
local tmp = os.tmpname()
os.remove(tmp)
canns.mkdir(tmp)
local function save_params(net)
  for k, v in pairs(net:state_dict()) do v:save(tmp .. "/" .. k .. ".npy") end
end
local g = canns.random.Generator(42)
local U, Y = FF.generate(g, 512, 64, 3, 0.5)
local Ut = FF.generate(g, 128, 64, 3, 0.5)
U:save(tmp .. "/U.npy")
Y:save(tmp .. "/Y.npy")
local net = canns.nn.RNN{input_size = 3, hidden_size = 4, output_size = 3, seed = 42}
save_params(net)
local steps = quick and 40 or 200
local a = best_of(function() net:train(U, Y, {epochs = steps // 4, batch_size = 128, lr = 0.08, loss_tol = 0}) end)
local function py(args)
  if python == "none" then return nil end
  local p = io.popen(string.format("timeout 900 %s scripts/bench/learning_flipflop_python.py %s 2>/dev/null",
                                   python, args))
  local s = p:read("a")
  p:close()
  local f = {}
  for w in s:gmatch("%S+") do f[#f + 1] = tonumber(w) end
  return f
end
local u = py(("train %s %d"):format(tmp, steps)) or {}
local per = function(x) return x and x / steps end
print(string.format("| flip-flop RNN, one BPTT + Adam step | 3 bits, 4 units, batch 128 x 64 steps | %s | %s | %s | %s |",
                    string.format("%.3f", per(a) * 1e3), u[1] and string.format("%.3f", per(u[1]) * 1e3) or "—",
                    u[2] and string.format("%.0f", u[2]) or "—", ratio(per(a), per(u[1]))))
-- a trained network (fresh, to loss < 1e-4) for the search
net = canns.nn.RNN{input_size = 3, hidden_size = 4, output_size = 3, seed = 42}
net:train(U, Y, {epochs = 500, batch_size = 128, lr = 0.08, loss_tol = 1e-4, seed = 42})
save_params(net)
local _, H = net:forward(Ut)
H:save(tmp .. "/H.npy")
local found
local b = best_of(function()
  local f = sp.FixedPointFinder(net, {method = "joint", max_iters = 5000, lr_init = 0.02, tol_q = 1e-4,
    final_q_threshold = 1e-6, tol_unique = 1e-2, outlier_distance_scale = 10.0, verbose = false})
  local uq, all = f:find_fixed_points(H, canns.zeros({1, 3}), {n_inits = 1024, noise_scale = 0.4})
  local st = 0
  for _, s in ipairs(uq.is_stable:totable()) do if s then st = st + 1 end end
  found = {all.n_iters:max(), uq.n, st}
end)
local v = py(("fps %s"):format(tmp)) or {}
local function desc(t) return t[1] and string.format("%d iters, %d FPs (%d stable)", t[1], t[2], t[3]) or "" end
print(string.format("| flip-flop fixed-point search, 1024 initial states | ours: %s; upstream: %s | %s | %s | %s | %s |",
                    desc(found), v[3] and desc({v[3], v[4], v[5]}) or "—", ms(b), ms(v[1]),
                    v[2] and string.format("%.0f", v[2]) or "—", ratio(b, v[1])))
os.execute("rm -rf '" .. tmp .. "'")
