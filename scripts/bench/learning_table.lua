-- Driver of scripts/bench/learning.  arg: python or "none", repeats,
-- "full" | "quick".
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
for _, r in ipairs(rows) do
  local a = cases[r[2]](r[3], r[4])
  local u, rss = upstream(r[2], r[3], r[4], r[5])
  print(string.format("| %s | %s | %s | %s%s | %s | %s |", r[1], r[6], ms(a), ms(u),
                      r[5] and string.format(" (timed on %d, scaled)", r[5]) or "",
                      rss and string.format("%.0f", rss) or "—", ratio(a, u)))
end
