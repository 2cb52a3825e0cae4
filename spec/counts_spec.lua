-- Counts read by the C bindings: a value past the limit says "is too
-- large" and gives the limit (an integral float such as 2^53 was called
-- "not an integer" before), a negative one says so, a fraction is "not an
-- integer".
local canns = require "canns"
local fails_with = testutil.fails_with

describe("counts read by the C bindings", function()
  local big = 2 ^ 53 -- 9.007199254741e+15 as the bindings describe a float
  it("say a huge integral float is too large and give the limit", function()
    local c = canns.models.CANN1D{num = 16}
    fails_with("run: argument 2 (inputs) is too large: must be at most 2147483647, got 9.007199254741e+15",
               canns.run, c, big)
    fails_with("run: option 'record_every' is too large: must be at most 2147483647, got 9.007199254741e+15",
               canns.run, c, 2, {record_every = big})
    fails_with("linspace: argument 3 (num) is too large: must be at most 2147483647, got 9.007199254741e+15",
               canns.linspace, 0, 1, big)
    fails_with("linspace: argument 3 (num) is too large: must be at most 2147483647, got 1.1805916207174e+21",
               canns.linspace, 0, 1, 2 ^ 70)
    fails_with("permutation: argument 1 (n) is too large: must be at most 2147483647",
               canns.random.permutation, big)
    fails_with("set_num_threads: argument 1 (n) is too large: must be at most 4096", canns.set_num_threads, big)
    fails_with("Progress: argument 2 (total) must be non-negative, got -1", canns.Progress, "x", -1)
    local env = canns.spatial.Environment{}
    fails_with("sample_positions: argument 1 (n) is too large: must be at most 100000000", env.sample_positions,
               env, big)
    fails_with("Agents: option 'n' is too large: must be at most 1000000, got 9.007199254741e+15",
               canns.spatial.Agents, {environment = env, n = big})
    local a = canns.spatial.Agent{environment = env}
    fails_with("update: option 'steps' is too large: must be at most 1000000000000", a.update, a, {steps = big})
    local tda = canns.analyzer.tda
    fails_with("shuffle_null_model: option 'num_shuffles' is too large: must be at most 2147483647",
               tda.shuffle_null_model, canns.zeros({3, 3}), {num_shuffles = big})
    fails_with("ripser: option 'n_perm' is too large: must be at most 2147483647", tda.ripser,
               canns.zeros({3, 2}), {n_perm = big})
    fails_with("ripser: option 'maxdim' is too large: must be at most 8, got 9.007199254741e+15", tda.ripser,
               canns.zeros({3, 2}), {maxdim = big})
    fails_with("ripser: option 'num_threads' is too large: must be at most 4096", tda.ripser,
               canns.zeros({3, 2}), {num_threads = big})
    fails_with("save_nc: option 'deflate' is too large: must be at most 9", canns.io.save_nc,
               os.tmpname() .. ".nc", {u = canns.zeros(2)}, {deflate = big})
    fails_with("CANN1D: argument 'num' is too large: must be at most 268435456, got 9007199254740992",
               canns.models.CANN1D, big)
    fails_with("CANN2D: argument 'length' is too large: must be at most 4096", canns.models.CANN2D,
               {length = big})
    fails_with("CANN1D: argument 'num' is too large: must be at most 9223372036854775807", canns.models.CANN1D,
               2 ^ 70)
    fails_with("CANN1D: argument 'accl_k' is too large: must be at most 2147483647", canns.models.CANN1D,
               {num = 8, accl_k = big})
    fails_with("set_accl_mode: argument 2 (k) is too large: must be at most 2147483647", c.set_accl_mode, c,
               "fast", big)
    fails_with("arange: too many elements: 9007199254740992 is too large (at most 1e15)", canns.arange, big)
    fails_with("zeros: argument 1 (shape) is too large: must be at most 9223372036854775807", canns.zeros,
               2 ^ 64)
    fails_with("zeros: array too large (more than 1099511627776 bytes requested)", canns.zeros, big)
    local a = canns.ones({3, 4})
    fails_with("std: option 'ddof' is too large: must be at most 1073741824, got 9.007199254741e+15", a.std, a,
               {ddof = big})
  end)

  it("the ASA bindings read their counts through the same checkers", function()
    local core = require "canns.core"
    local E = canns.zeros({4, 3})
    fails_with("tda_vis: option 'dim' is too large: must be at most 2147483647, got 9.007199254741e+15",
               core.asa.tda, E, {dim = big})
    fails_with("tda_vis: option 'nbs' is too large: must be at most 2147483647", core.asa.tda, E, {nbs = big})
    fails_with("tda_vis: option 'maxdim' is too large: must be at most 3, got 9.007199254741e+15",
               core.asa.tda, E, {maxdim = big})
    fails_with("tda_vis: option 'coeff' is too large: must be at most 65535", core.asa.tda, E, {coeff = big})
    fails_with("tda_vis: option 'num_threads' is too large: must be at most 4096", core.asa.tda, E,
               {num_threads = big})
    fails_with("tda_vis: option 'dim' must be >= 1, got 0", core.asa.tda, E, {dim = 0})
    fails_with("interp_coords_to_full: argument 3 (T) is too large: must be at most 1099511627776",
               core.asa.interp_angles, canns.array({1}, "int64"), canns.zeros(1, "float64"), big)
    fails_with("interp_coords_to_full: argument 3 (T) must be an integer, got 1.5", core.asa.interp_angles,
               canns.array({1}, "int64"), canns.zeros(1, "float64"), 1.5)
  end)

  it("image, cell-classification, learning and grid-cell bindings too", function()
    local core = require "canns.core"
    local im = canns.zeros({4, 4}, "float64")
    fails_with("rotate_image: argument 3 (output rows) is too large: must be at most 1048576, got 9.007199254741e+15",
               core.image.rotate, im, 0, big, 3)
    fails_with("rotate_image: argument 3 (output rows) must be >= 1, got 0", core.image.rotate, im, 0, 0, 3)
    fails_with("compute_gridness_score: option 'num_gridness_radii' is too large: must be at most 2147483647",
               core.cellc.gridness, canns.zeros({9, 9}, "float64"), {num_gridness_radii = big})
    fails_with("hopfield_recall: argument 3 (num_iter) is too large: must be at most 2147483647",
               core.hopfield_recall, canns.zeros({2, 2}), canns.zeros(2), big, {})
    fails_with("resize_matrix: argument 2 (rows) is too large: must be at most 2147483647", core.resize_matrix,
               nil, big, 2)
    fails_with("resize_matrix: argument 3 (cols) must be non-negative, got -1", core.resize_matrix, nil, 2, -1)
  end)

  it("keep the other messages: negative, fraction, NaN, wrong type", function()
    local c = canns.models.CANN1D{num = 16}
    fails_with("run: argument 2 (inputs) must be non-negative, got -1", canns.run, c, -1)
    fails_with("run: option 'record_every' must be >= 1, got 0", canns.run, c, 2, {record_every = 0})
    fails_with("run: option 'record_every' must be an integer, got 1.5", canns.run, c, 2, {record_every = 1.5})
    fails_with("linspace: argument 3 (num) must be an integer, got 1.5", canns.linspace, 0, 1, 1.5)
    fails_with("linspace: argument 3 (num) must be an integer, got nan", canns.linspace, 0, 1, 0 / 0)
    fails_with("linspace: argument 3 (num) must be an integer, got inf", canns.linspace, 0, 1, math.huge)
    fails_with("linspace: argument 3 (num) must be an integer, got 'x'", canns.linspace, 0, 1, "x")
    fails_with("permutation: argument 1 (n) must be non-negative, got -3", canns.random.permutation, -3)
    -- an index is an integer in the int64 range: beyond it the message names it
    fails_with("index: argument 1 (index) is too large: must be at most 9223372036854775807",
               function() return canns.zeros(3)[2 ^ 70] end)
    -- the limits themselves pass
    assert.equal(0, canns.linspace(0, 1, 0):size())
    assert.equal(2, #canns.run(c, 2, {record_every = 1}).u)
  end)
end)

describe("functions written in Lua check their arguments (canns.argcheck)", function()
  it("refuse absurd counts before any work, with the same messages", function()
    local g = canns.pipeline.gallery
    fails_with("pca: argument 2 (k) is too large: must be at most 3, got 9.007199254741e+15", g.pca,
               canns.ones({5, 3}), 2 ^ 53)
    fails_with("pca: argument 2 (k) must be >= 1, got 0", g.pca, canns.ones({5, 3}), 0)
    fails_with("pca: argument 1 (X) must have 2 dimensions", g.pca, canns.ones(5), 1)
    fails_with("pca: argument 1 (X) must not contain NaN or inf", g.pca, canns.array({{0 / 0, 1}, {1, 2}}), 1)
    local viz = canns.analyzer.visualization
    fails_with("binned_mean: argument 3 (nbins) is too large: must be at most 2147483647", viz.binned_mean,
               {1, 2}, {1, 2}, 2 ^ 53)
  end)
  it("bump analysis and lifetimes name the bad argument", function()
    local A = canns.analyzer
    local c = canns.models.CANN1D{num = 16}
    fails_with("bump_center: argument 1 (cann) must be a model with coordinates x and a shape, got 'x'",
               A.bump_center, "x", canns.zeros(16))
    fails_with("bump_center: argument 1 (cann) must have 16 coordinates x", A.bump_center,
               {x = canns.zeros(3), shape = {16}}, canns.zeros(16))
    fails_with("bump_width: argument 2 (activity) is required (an array)", A.bump_width, c, nil)
    fails_with("tracking_lag: argument 3 (stimulus) must be a float32 or float64 array", A.tracking_lag, c,
               canns.zeros({4, 16}), canns.zeros(4, "int64"))
    fails_with("tracking_lag: argument 3 (stimulus) must hold 4 positions", A.tracking_lag, c,
               canns.zeros({4, 16}), {1, 2})
    fails_with("lifetimes: argument 1 (dgm) must have shape {n, 2}, got a float32 array of shape {3}",
               A.tda.lifetimes, canns.zeros(3))
    -- a table of positions is converted
    assert.equal(4, A.tracking_lag(c, canns.ones({4, 16}), {0, 0, 0, 0}):size())
  end)
end)
