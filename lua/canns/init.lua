--- canns: continuous attractor neural networks and attractor structure
-- analysis, computed in C and scripted in Lua.
--
--     local canns = require "canns"
--     local a = canns.linspace(-math.pi, math.pi, 5)
--     print(a * 2)
--
-- The table returned here is the whole public API.  Numerics come from the
-- C module `canns.core`; this file only arranges it into the public tree
-- and adds the conveniences written in Lua.
-- @module canns

local core = require "canns.core"

local canns = {}

--- Version string of the library.
canns.version = core.version
--- The raw C module (for extension writers).
canns.core = core

-- Arrays: creation, math and reductions (see docs/lua-api.md).
local array_functions = {
  "zeros", "ones", "empty", "full", "array", "linspace", "arange", "isarray",
  "add", "sub", "mul", "div", "pow", "mod", "maximum", "minimum", "atan2",
  "eq", "ne", "lt", "le", "gt", "ge", "clip", "where", "concatenate", "cumsum",
  "matmul", "dot", "allclose", "array_equal",
  "exp", "log", "sqrt", "sin", "cos", "tan", "abs", "square", "tanh", "floor",
  "ceil", "round", "sign", "isnan", "isfinite", "logical_not", "arcsin",
  "arccos", "arctan", "expm1", "log1p",
  "sum", "mean", "max", "min", "argmax", "argmin", "std", "var", "prod", "any", "all",
}
for _, name in ipairs(array_functions) do
  canns[name] = assert(core[name], name)
end

--- Real FFTs along the last axis (FFTW).
-- `rfft(a)` maps shape (..., n) to (..., n/2+1, 2) holding (re, im) pairs;
-- `irfft(f [, n])` inverts it (normalised like numpy).
canns.fft = { rfft = core.rfft, irfft = core.irfft }

--- Eigen-decompositions (LAPACK, in float64; eigenvectors are columns):
-- `w, V = eigh(a)` (symmetric, w ascending), `wr, wi, VR = eig(a)`
-- (general; LAPACK's packing of complex pairs).
canns.linalg = { eigh = core.eigh, eig = core.eig }

--- Random numbers (Philox counter-based generator).
-- `seed(n)`, `normal(shape [, loc, scale, dtype])`,
-- `uniform(shape [, low, high, dtype])`, `randint(shape, low, high)`,
-- `permutation(n)`, `shuffle(a)`, `Generator(seed)`.
canns.random = core.random

--- Threads and progress bars.
canns.num_threads = core.num_threads
canns.set_num_threads = core.set_num_threads
canns.set_progress = core.set_progress
canns.progress_enabled = core.progress_enabled
canns.Progress = core.Progress
canns.build_info = core.build_info
--- `canns.mkdir(path)`: create a folder and its parents (like `mkdir -p`).
canns.mkdir = core.mkdir

--- Methods of arrays written in Lua are added to this table.
canns.array_methods = core.array_methods

-- Areas added by later parts of the library register below, one line each.

--- Files: NPY, NPZ and netCDF (see docs/io.md).
canns.io = require "canns.io"
--- Read an `.npy` file into an array.
canns.load = canns.io.load_npy
--- `a:save(path)` writes an array to an `.npy` file (atomically).
canns.array_methods.save = function(a, path) return canns.io.save_npy(path, a) end

-- [models] Models, tasks and the simulation loop (docs/models.md, docs/tasks.md).
--- Model classes: `canns.models.CANN1D{num = 512}`, CANN1D_SFA, CANN2D, CANN2D_SFA.
canns.models = require "canns.models"
--- Task generators: `canns.task.SmoothTracking1D{...}`, ...
canns.task = require "canns.task"
--- `canns.run(model, inputs, {record = {...}, record_every, progress, reset})`:
-- step a model over every row of `inputs` (time first; or a step count, or a
-- task) inside C and return the recorded state variables, time first.
canns.run = core.run
--- The global time step read by every model at each step (default 0.1).
canns.set_dt = core.set_dt
canns.get_dt = core.get_dt
--- Bump analysis: `canns.analyzer.bump_center`, `bump_height`, `bump_width`,
-- `tracking_lag`, merged into the canns.analyzer module.
canns.analyzer = canns.analyzer or require "canns.analyzer"
for k, v in pairs(require "canns.analyzer.bump") do canns.analyzer[k] = v end
-- [/models]

-- [learn] Brain-inspired models and trainers (docs/learning.md).
for k, v in pairs(require "canns.models.brain_inspired") do
  if k ~= "extend" then rawset(canns.models, k, v) end
end
canns.models.brain_inspired = require "canns.models.brain_inspired"
--- `canns.trainer.HebbianTrainer{model = net}`, OjaTrainer, SangerTrainer,
-- BCMTrainer, STDPTrainer, AntiHebbianTrainer, `utils`.
canns.trainer = require "canns.trainer"
--- `canns.analyzer.HopfieldAnalyzer{model, stored_patterns}`.
canns.analyzer.HopfieldAnalyzer = require("canns.analyzer.hopfield").HopfieldAnalyzer
canns.analyzer.model_specific = {hopfield = {HopfieldAnalyzer = canns.analyzer.HopfieldAnalyzer}}
-- [/learn]

-- [pipeline] Parameter sweeps with checkpoint/resume (docs/pipeline.md).
--- `canns.pipeline.Sweep{...}`: run a function over a parameter grid, list
-- or sample, on several processes, resumable.
canns.pipeline = require "canns.pipeline"
--- `canns.utils.benchmark`, `canns.utils.get_example_output_dir`.
canns.utils = require "canns.utils"
canns.nn = require "canns.nn"
-- [/pipeline]

--- Spatial navigation: `canns.spatial.Environment`, `Agent`, `Agents`
-- (docs/spatial.md).
canns.spatial = require "canns.spatial"

--- Data sets: the registry, downloads (libcurl) and readers
-- (`canns.data.load`, `load_grid_data`, ...; docs/lua-api.md).
canns.data = require "canns.data"

return canns
