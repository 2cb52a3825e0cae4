-- A continuous (tanh, temperature 0.5) Hopfield network of 500 neurons
-- stores four 1-D patterns (a sine, a cosine, a smoothed random pattern and
-- a triangle wave) and recalls them from copies with N(0, 0.3^2) noise
-- clipped to [-1, 1]; prints noise MSE -> recovery MSE and the correlation
-- with the original per pattern, and draws originals, inputs and outputs.
--
--   build/canns examples/hopfield_train_1d.lua [output folder]
--                                    (default out/hopfield_train_1d)
--
-- Twin of examples/brain_inspired/hopfield_train_1d.py of the Python
-- toolkit.  As there, the smoothed random pattern is not recalled and the
-- recovery MSE exceeds the noise MSE (tanh saturates towards +-1).
local canns = require "canns"

local outdir = arg and arg[1] or "out/hopfield_train_1d"
canns.random.seed(42)

local dim = 500
local pi = math.pi
local p1 = canns.sin(canns.linspace(0, 4 * pi, dim):astype("float64")):astype("float32")
local p2 = canns.cos(canns.linspace(0, 6 * pi, dim):astype("float64")):astype("float32")
-- tanh of a 10-point moving average ('same' mode: out[i] = sum of v[i-5 .. i+4] / 10)
local v = canns.random.normal(dim, 0, 1, "float64")
local p3 = canns.zeros(dim, "float64")
for i = 1, dim do
  local s = 0
  for j = math.max(1, i - 5), math.min(dim, i + 4) do s = s + v[j] end
  p3[i] = s / 10
end
p3 = canns.tanh(p3):astype("float32")
local t = canns.linspace(0, 1, dim):astype("float64")
local p4 = (canns.abs((t * 4 - canns.floor(t * 4 + 0.5)) * 2) * 2 - 1):astype("float32")
local data = {p1, p2, p3, p4}

print(string.format("Network size: %d neurons", dim))
print(string.format("Theoretical storage capacity: ~%d patterns", dim // (4 * math.floor(math.log(dim)))))
print(string.format("Storing %d patterns", #data))

local model = canns.models.AmariHopfieldNetwork{num_neurons = dim, asyn = false, activation = "tanh",
                                                temperature = 0.5}
local trainer = canns.trainer.HebbianTrainer{model = model}
trainer:train(data)

local tests = {}
for i, d in ipairs(data) do
  tests[i] = canns.clip(d + canns.random.normal(dim, 0, 0.3), -1.0, 1.0)
end
local predicted = trainer:predict_batch(tests, {show_sample_progress = true})

local function mse(a, b) local d = (a - b):astype("float64"); return canns.dot(d, d) / d:size() end
local function corr(a, b)
  a = a:astype("float64"); b = b:astype("float64")
  local da, db = a - canns.mean(a), b - canns.mean(b)
  return canns.dot(da, db) / math.sqrt(canns.dot(da, da) * canns.dot(db, db))
end
print("Recovery Statistics:")
for i = 1, #data do
  print(string.format("Pattern %d:", i))
  print(string.format("  Noise MSE: %.4f -> Recovery MSE: %.4f", mse(data[i], tests[i]), mse(data[i], predicted[i])))
  print(string.format("  Correlation with original: %.4f", corr(data[i], predicted[i])))
end

canns.mkdir(outdir)
predicted:save(outdir .. "/predicted.npy")
local viz = canns.analyzer.visualization
local fig = viz.figure{figsize = {12, 8}}
local titles = {"Original Pattern", "Corrupted Input", "Recovered Pattern"}
local colors = {"b", "r", "g"}
local x = canns.arange(dim)
for i = 1, #data do
  local rows = {data[i], tests[i], predicted[i]}
  for j = 1, 3 do
    local ax = fig:subplot(#data, 3, (i - 1) * 3 + j)
    if i == 1 then ax:set_title(titles[j], {fontsize = 12}) end
    ax:plot(x, rows[j], {color = colors[j], linewidth = 1})
    ax:set_ylim(-1.5, 1.5)
    ax:grid(true, {alpha = 0.3})
    if j == 1 then ax:set_ylabel(string.format("Pattern %d", i), {fontsize = 10}) end
    if i == #data then ax:set_xlabel("Neuron index") end
  end
end
fig:savefig(outdir .. "/continuous_hopfield_train_1d.png", {dpi = 150})
print("Figure saved to " .. outdir .. "/continuous_hopfield_train_1d.png")
