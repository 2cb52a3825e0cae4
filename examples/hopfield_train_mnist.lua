-- A sign Hopfield network (synchronous, threshold 80, default
-- HebbianTrainer) stores one handwritten exemplar each of the digits 0, 1
-- and 2 and is probed with a different, clean exemplar of each class; the
-- figure shows train / input / output per class, as upstream's.
--
--   build/canns examples/hopfield_train_mnist.lua [output folder] [mnist folder]
--                                    (default out/hopfield_train_mnist)
--
-- Twin of examples/brain_inspired/hopfield_train_mnist.py of the Python
-- toolkit.  Upstream loads MNIST through Hugging Face, torchvision or Keras
-- (all of which download it) and falls back to scikit-learn's 8x8 digits.
-- canns never downloads at run time: given a folder holding MNIST's
-- uncompressed IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte,
-- as `gunzip` leaves them; also read from $CANNS_MNIST_DIR) it uses the
-- first and second exemplar of each class like upstream; otherwise it draws
-- its own 28 x 28 handwritten-like digits (pen strokes with a seeded
-- random wobble), two per class.  Images are thresholded at their mean to
-- +-1 (upstream's fallback when scikit-image is absent).
local canns = require "canns"

local outdir = arg and arg[1] or "out/hopfield_train_mnist"
local mnist_dir = (arg and arg[2]) or os.getenv("CANNS_MNIST_DIR")
local classes = {0, 1, 2}
canns.random.seed(7)

-- MNIST's IDX format: a big-endian magic (0x00000803 images, 0x00000801
-- labels), the extents, then unsigned bytes.
local function read_idx(path, want_magic)
  local f = io.open(path, "rb")
  if not f then return nil end
  local data = f:read("a")
  f:close()
  local function u32(pos) return string.unpack(">I4", data, pos) end
  if #data < 8 or u32(1) ~= want_magic then
    error(("hopfield_train_mnist: %s is not an IDX file (magic %s expected)"):format(path, want_magic), 0)
  end
  local n = u32(5)
  if want_magic == 0x801 then
    if #data < 8 + n then error("hopfield_train_mnist: " .. path .. " is truncated", 0) end
    return {n = n, bytes = data, offset = 8}
  end
  local rows, cols = u32(9), u32(13)
  if #data < 16 + n * rows * cols then error("hopfield_train_mnist: " .. path .. " is truncated", 0) end
  return {n = n, rows = rows, cols = cols, bytes = data, offset = 16}
end

-- The index-th exemplar (0-based) of each class, as float32 (side, side) images.
local function mnist_exemplars(dir, index)
  local imgs = read_idx(dir .. "/train-images-idx3-ubyte", 0x803)
  local labs = read_idx(dir .. "/train-labels-idx1-ubyte", 0x801)
  if not imgs or not labs then return nil end
  local out, side = {}, imgs.rows
  for k, c in ipairs(classes) do
    local seen = 0
    for i = 0, labs.n - 1 do
      if labs.bytes:byte(labs.offset + i + 1) == c then
        if seen == index then
          local px = {}
          local base = imgs.offset + i * side * imgs.cols
          for j = 1, side * imgs.cols do px[j] = imgs.bytes:byte(base + j) end
          out[k] = canns.array(px, "float32"):reshape(side, imgs.cols)
          break
        end
        seen = seen + 1
      end
    end
    if not out[k] then error(("hopfield_train_mnist: class %d has fewer than %d samples"):format(c, index + 1), 0) end
  end
  return out
end

-- Pen strokes of the digits 0, 1, 2 on [-1, 1]^2 (y down), each a polyline.
local STROKES = {
  [0] = (function()
    local p = {}
    for i = 0, 24 do
      local t = 2 * math.pi * i / 24
      p[#p + 1] = {0.45 * math.sin(t), -0.7 * math.cos(t)}
    end
    return {p}
  end)(),
  [1] = {{{-0.2, -0.45}, {0.05, -0.72}, {0.05, 0.72}}},
  [2] = {{{-0.45, -0.4}, {-0.2, -0.68}, {0.2, -0.68}, {0.42, -0.4}, {0.3, -0.05},
          {-0.45, 0.68}, {0.5, 0.68}}},
}

-- One handwritten-like 28 x 28 digit: the strokes, shifted, slanted, scaled
-- and wobbled at random, inked with a Gaussian pen.
local function draw_digit(c, side)
  local g = canns.linspace(-1, 1, side):astype("float64")
  local X = g:reshape(1, side) * canns.ones({side, 1}, "float64")
  local Y = g:reshape(side, 1) * canns.ones({1, side}, "float64")
  local u = canns.random.uniform(6):astype("float64")
  local function r(i, lo, hi) return lo + (hi - lo) * u[i] end
  local sx, sy, slant = r(1, 0.85, 1.1), r(2, 0.85, 1.05), r(3, -0.25, 0.25)
  local dx, dy, wob = r(4, -0.1, 0.1), r(5, -0.08, 0.08), r(6, 0.02, 0.06)
  local d = canns.full({side, side}, 1e9, "float64")
  for _, line in ipairs(STROKES[c]) do
    local pts = {}
    for i, p in ipairs(line) do
      local n = canns.random.normal(2):astype("float64")
      local x, y = p[1] * sx + wob * n[1], p[2] * sy + wob * n[2]
      pts[i] = {x - slant * y + dx, y + dy}
    end
    for i = 1, #pts - 1 do -- distance to the segment pts[i] -> pts[i+1]
      local ax, ay = pts[i][1], pts[i][2]
      local ex, ey = pts[i + 1][1] - ax, pts[i + 1][2] - ay
      local t = canns.clip(((X - ax) * ex + (Y - ay) * ey) / (ex * ex + ey * ey + 1e-12), 0, 1)
      local qx, qy = X - (t * ex + ax), Y - (t * ey + ay)
      d = canns.minimum(d, canns.sqrt(qx * qx + qy * qy))
    end
  end
  return (canns.exp(-(d * d) / (2 * 0.07 ^ 2)) * 255):astype("float32")
end

local function synthetic_exemplars(side)
  local out = {}
  for k, c in ipairs(classes) do out[k] = draw_digit(c, side) end
  return out
end

local train_imgs, test_imgs, source
if mnist_dir then
  train_imgs = mnist_exemplars(mnist_dir, 0)
  test_imgs = train_imgs and mnist_exemplars(mnist_dir, 1)
  if not train_imgs then
    error("hopfield_train_mnist: no MNIST IDX files (train-images-idx3-ubyte, "
          .. "train-labels-idx1-ubyte) in " .. mnist_dir, 0)
  end
  source = "MNIST IDX files in " .. mnist_dir
else
  train_imgs, test_imgs = synthetic_exemplars(28), synthetic_exemplars(28)
  source = "digits drawn by canns (no MNIST folder given)"
end
print("Data: " .. source)

-- Mean threshold to +-1, flattened.
local function pm1(img)
  return canns.where(img:gt(canns.mean(img)), 1.0, -1.0):astype("float32"):reshape(img:size())
end
local train, test = {}, {}
for k = 1, #classes do train[k], test[k] = pm1(train_imgs[k]), pm1(test_imgs[k]) end

local N = train[1]:size()
local side = math.floor(math.sqrt(N) + 0.5)
local model = canns.models.AmariHopfieldNetwork{num_neurons = N, threshold = 80.0, asyn = false,
                                                activation = "sign"}
local trainer = canns.trainer.HebbianTrainer{model = model}
trainer:train(train)
local predicted = trainer:predict_batch(test, {show_sample_progress = true})

canns.mkdir(outdir)
for k, c in ipairs(classes) do
  print(string.format("  digit %d: overlap(train, input) = %.3f, overlap(train, output) = %.3f", c,
                      canns.dot(train[k], test[k]) / N, canns.dot(train[k], predicted[k]) / N))
end
predicted:save(outdir .. "/predicted.npy")

local viz = canns.analyzer.visualization
local fig = viz.figure{figsize = {5, 1.6 * #classes}}
for i = 1, #classes do
  local row = {train[i], test[i], predicted[i]}
  for j = 1, 3 do
    local ax = fig:subplot(#classes, 3, (i - 1) * 3 + j)
    if i == 1 then ax:set_title(({"Train data", "Input data", "Output data"})[j]) end
    ax:imshow(row[j]:reshape(side, side), {cmap = "gray"})
    ax:axis("off")
  end
end
fig:savefig(outdir .. "/result_mnist.png")
print("wrote result_mnist.png and predicted.npy to " .. outdir)
