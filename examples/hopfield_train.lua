-- A sign Hopfield network (synchronous, default HebbianTrainer: centred,
-- normalised, zero diagonal) stores four binary pictures and recalls them
-- from copies with every pixel flipped with probability 0.3 (20
-- iterations, all probes in one C call).
--
--   build/canns examples/hopfield_train.lua [output folder] [side]
--                                    (default out/hopfield_train, side 64)
--
-- Twin of examples/brain_inspired/hopfield_train.py of the Python toolkit.
-- That script downloads nothing but reads four scikit-image photographs
-- (camera, astronaut, horse, coffee) at 128 x 128; canns draws four
-- pictures of its own (a face, a house, rings, a spiral) and uses 64 x 64
-- by default so that the example runs in a second (side 128 gives
-- upstream's N = 16384 and a 1 GB weight matrix).
local canns = require "canns"

local outdir = arg and arg[1] or "out/hopfield_train"
local side = tonumber(arg and arg[2]) or 64
canns.random.seed(42)

-- Four pictures on [-1, 1]^2 (examples/lib/hopfield_pictures.lua, shared with
-- the other Hopfield example), loaded from beside this script.
local here = (arg and arg[0] or ""):match("^(.*[/\\])") or "./"
local pictures = dofile(here .. "lib/hopfield_pictures.lua")

local data = pictures(side)
local N = side * side
print(string.format("Network size: %d neurons, %d pictures", N, #data))

local model = canns.models.AmariHopfieldNetwork{num_neurons = N, asyn = false, activation = "sign"}
local trainer = canns.trainer.HebbianTrainer{model = model}
trainer:train(data)

-- Flip each pixel with probability 0.3.
local function corrupt(p, level)
  return canns.where(canns.random.uniform(p:size()):lt(level), -p, p)
end
local tests = {}
for i, d in ipairs(data) do tests[i] = corrupt(d, 0.3) end
local predicted = trainer:predict_batch(tests, {show_sample_progress = true})

canns.mkdir(outdir)
local names = {"face", "house", "rings", "spiral"}
for i = 1, #data do
  local ov = canns.dot(data[i], predicted[i]) / N
  print(string.format("  %-6s: overlap(input) = %.3f, overlap(output) = %.4f", names[i],
                      canns.dot(data[i], tests[i]) / N, ov))
end
predicted:save(outdir .. "/predicted.npy")

local viz = canns.analyzer.visualization
local fig = viz.figure{figsize = {5, 6}}
for i = 1, #data do
  local row = {data[i], tests[i], predicted[i]}
  for j = 1, 3 do
    local ax = fig:subplot(#data, 3, (i - 1) * 3 + j)
    if i == 1 then ax:set_title(({"Train data", "Input data", "Output data"})[j]) end
    ax:imshow(row[j]:reshape(side, side), {cmap = "gray"})
    ax:axis("off")
  end
end
fig:savefig(outdir .. "/discrete_hopfield_train.png", {dpi = 100})
print("wrote discrete_hopfield_train.png and predicted.npy to " .. outdir)
