-- canns.pipeline.asa.PipelineRunner: the whole ASA chain from one
-- configuration, stage caching (nothing recomputed on a second run; a
-- decoding parameter recomputes decoding and the stages after it only),
-- corrupt caches, bad configuration keys, the saved configuration, and
-- the same numbers as the chain called by hand.
local canns = require "canns"
local core = require "canns.core"
local asa = canns.analyzer.data.asa
local P = canns.pipeline.asa
local json = require "canns.pipeline.json"

local TDA = {active_times = 1000, k = 100, n_points = 150, nbs = 100, num_times = 2}

local function session(dir)
  local data = asa.synthetic_grid_session{T = 6000, n_side = 6, seed = 1}
  local path = dir .. "/session.npz"
  P.save_asa_npz(path, data)
  return path, data
end

local function config(input, dir, extra)
  local c = {input = input, workdir = dir, preprocess = {method = "embed_spike_trains"}, tda = TDA,
             stages = {"tda", "cohomap", "fr"}}
  for k, v in pairs(extra or {}) do c[k] = v end
  return c
end

local function set(list)
  local s = {}
  for _, v in ipairs(list) do s[v] = true end
  return s
end

local function write(path, text)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
end

local function max_abs_diff(a, b)
  return (a:astype("float64") - b:astype("float64")):abs():max()
end

describe("canns.pipeline.asa.PipelineRunner", function()
  local dir, input, data
  setup(function()
    dir = testutil.tmpdir()
    input, data = session(dir)
  end)
  teardown(function() testutil.rmtree(dir) end)

  it("runs the chain, then a second run recomputes nothing", function()
    local R = P.PipelineRunner(config(input, dir .. "/a", {stages = {"tda", "cohomap", "pathcompare",
                                                                    "cohospace", "fr", "frm"}}))
    local r = R:run()
    assert.is_true(r.success, r.error)
    assert.same({"embed", "tda", "decode", "cohomap", "pathcompare", "cohospace", "fr", "frm"}, r.ran)
    for _, k in ipairs({"barcode", "persistence", "decoding", "cohomap", "path_compare",
                        "cohospace_trajectory", "population", "fr_heatmap", "frm", "embedding"}) do
      assert.is_true(testutil.exists(r.artifacts[k]), k)
    end
    assert.truthy(r.out:find("/Results/session_%x%x%x%x%x%x%x%x$"))
    assert.truthy(r.summary:find("^Completed"))
    local R2 = P.PipelineRunner(config(input, dir .. "/a", {stages = {"tda", "cohomap", "pathcompare",
                                                                     "cohospace", "fr", "frm"}}))
    local r2 = R2:run()
    assert.is_true(r2.success, r2.error)
    assert.same({}, r2.ran)
    assert.same({}, R2.stage_runs)
    assert.equal(8, #r2.cached)
    assert.same(r.artifacts, r2.artifacts)
  end)

  it("gives the numbers of the chain called by hand", function()
    local r = P.PipelineRunner(config(input, dir .. "/ref", {stages = {"cohomap"}, tda =
      {active_times = 1000, k = 100, n_points = 150, nbs = 100, num_times = 2, standardize = false}})):run()
    assert.is_true(r.success, r.error)
    local E = asa.embed_spike_trains(data, {speed_filter = false})
    local res = asa.tda_vis(E, {active_times = 1000, k = 100, n_points = 150, nbs = 100, num_times = 2,
                                show = false, progress_bar = false, standardize = false})
    local dec = asa.decode_circular_coordinates_multi(res, E, {num_circ = 2})
    local saved = canns.io.load_npz(r.artifacts.decoding)
    -- the same C code on the same input: identical up to float round-off
    assert.is_true(max_abs_diff(saved.coords, dec.coords) < 1e-9)
    assert.same(dec.times:totable(), (saved.times + 1):totable())
    local cached = canns.io.load_npz(r.artifacts.embedding)
    assert.equal(0, max_abs_diff(cached.embed_data, E))
  end)

  it("recomputes decoding and the stages after it when a decoding parameter changes", function()
    local c = config(input, dir .. "/b")
    assert.is_true(P.PipelineRunner(c):run().success)
    c.decode = {num_circ = 1}
    local R = P.PipelineRunner(c)
    local r = R:run()
    assert.is_true(r.success, r.error)
    assert.same({"decode", "cohomap"}, r.ran)
    assert.same(set({"embed", "tda", "fr"}), set(r.cached))
    assert.same({decode = 1, cohomap = 1}, R.stage_runs)
    local dec = canns.io.load_npz(r.artifacts.decoding)
    assert.equal(1, dec.coords:shape(2))
    -- a TDA parameter: TDA and everything after it, not the embedding or FR
    c.tda = {active_times = 1000, k = 100, n_points = 140, nbs = 100, num_times = 2}
    r = P.PipelineRunner(c):run()
    assert.same({"tda", "decode", "cohomap"}, r.ran)
    assert.same(set({"embed", "fr"}), set(r.cached))
  end)

  it("warns and recomputes when a cache file is corrupt", function()
    local c = config(input, dir .. "/c")
    local r = P.PipelineRunner(c):run()
    assert.is_true(r.success, r.error)
    write(r.out .. "/TDA/cache.json", "{\"hash\": ")
    local R = P.PipelineRunner(c)
    local r2 = R:run()
    assert.is_true(r2.success, r2.error)
    assert.equal(1, R.stage_runs.tda)
    assert.truthy(R.warnings[1]:find("TDA/cache.json is unreadable", 1, true))
    -- TDA gave the same file again: decoding is still valid and reused
    assert.is_nil(R.stage_runs.decode)
    -- a truncated output under a valid cache entry
    write(r.out .. "/CohoMap/decoding.npz", "PK\3\4 not a zip")
    R = P.PipelineRunner(c)
    r2 = R:run()
    assert.is_true(r2.success, r2.error)
    assert.equal(1, R.stage_runs.decode)
    assert.truthy(table.concat(R.warnings, "\n"):find("cached decode output is unreadable", 1, true))
    write(r.out .. "/.asa_cache/" .. r.artifacts.embedding:match("([^/]+)$"), "")
    R = P.PipelineRunner(c)
    assert.is_true(R:run().success)
    assert.equal(1, R.stage_runs.embed)
  end)

  it("saves its configuration beside the results and runs it again from there", function()
    local c = config(input, dir .. "/d", {preset = "hd"})
    local r = P.PipelineRunner(c):run()
    assert.is_true(r.success, r.error)
    local f = assert(io.open(r.out .. "/config.json"))
    local saved = json.decode(f:read("a"))
    f:close()
    assert.equal(input, saved.input)
    assert.equal(100, saved.tda.k)          -- given
    assert.equal(47, saved.tda.coeff)       -- default (and preset)
    assert.equal(5000.0, saved.preprocess.sigma)
    assert.equal("v2", saved.decode.decode_version)
    local again = P.PipelineRunner(P.load_config(r.out .. "/config.json"))
    local r2 = again:run()
    assert.is_true(r2.success, r2.error)
    assert.same({}, r2.ran)
  end)

  it("keys the caches by the input's content, also with an explicit out folder", function()
    local other = dir .. "/other.npz"
    P.save_asa_npz(other, asa.synthetic_grid_session{T = 6000, n_side = 6, seed = 2})
    local c = config(input, dir .. "/f", {out = dir .. "/f/out"})
    local r = P.PipelineRunner(c):run()
    assert.is_true(r.success, r.error)
    assert.equal(dir .. "/f/out", r.out)
    c.input = other
    local R = P.PipelineRunner(c)
    r = R:run()
    assert.is_true(r.success, r.error)
    assert.same({"embed", "tda", "decode", "cohomap", "fr"}, r.ran)
  end)

  it("reads upstream's Neuron + Traj input (two files) with the same numbers", function()
    local z = canns.io.load_npz(input)
    local nf, tf = dir .. "/neurons.npz", dir .. "/traj.npz"
    canns.io.save_npz(nf, {spike = z.spike, spike_counts = z.spike_counts})
    canns.io.save_npz(tf, {t = z.t, x = z.x, y = z.y})
    local one = P.PipelineRunner(config(input, dir .. "/nt1")):run()
    assert.is_true(one.success, one.error)
    local c = config(nil, dir .. "/nt2", {input_mode = "neuron_traj", neuron_file = nf, traj_file = tf})
    local two = P.PipelineRunner(c):run()
    assert.is_true(two.success, two.error)
    assert.truthy(two.out:find("/Results/neurons_traj_", 1, true), two.out)
    local a, b = canns.io.load_npz(one.artifacts.decoding), canns.io.load_npz(two.artifacts.decoding)
    assert.equal(0, max_abs_diff(a.coords, b.coords))
    -- a second run is cached; a changed trajectory file is a new input
    assert.same({}, P.PipelineRunner(c):run().ran)
    canns.io.save_npz(tf, {t = z.t, x = z.x * 0.5, y = z.y})
    local three = P.PipelineRunner(c):run()
    assert.is_true(three.success, three.error)
    assert.are_not.equal(two.out, three.out)
    -- a dense (time, neurons) .npy works as the neuron file too
    local E = asa.embed_spike_trains(data, {speed_filter = false})
    local dense = dir .. "/dense.npy"
    E:save(dense)
    local d = P.PipelineRunner(config(nil, dir .. "/nt3", {input_mode = "neuron_traj", neuron_file = dense,
                                                             traj_file = tf, preprocess = {method = "none"}})):run()
    assert.is_true(d.success, d.error)
    -- bad inputs
    testutil.fails_with("PipelineRunner: option 'traj_file' is required", P.PipelineRunner,
                        config(nil, dir, {input_mode = "neuron_traj", neuron_file = nf}))
    testutil.fails_with("option 'input' is not used with input_mode 'neuron_traj'", P.PipelineRunner,
                        config(input, dir, {input_mode = "neuron_traj", neuron_file = nf, traj_file = tf}))
    canns.io.save_npz(tf, {t = z.t, x = z.x})
    local bad = P.PipelineRunner(c):run()
    assert.is_false(bad.success)
    assert.truthy(bad.error:find("has no 'y' entry", 1, true), bad.error)
  end)

  it("names bad configuration keys and values", function()
    testutil.fails_with("PipelineRunner: unknown option 'tda.kk'", P.PipelineRunner, config(input, dir, {tda = {kk = 1}}))
    testutil.fails_with("PipelineRunner: unknown option 'decoding'", P.PipelineRunner,
                        config(input, dir, {decoding = {}}))
    testutil.fails_with("PipelineRunner: option 'tda.k' must be >= 1, got 0", P.PipelineRunner,
                        config(input, dir, {tda = {k = 0}}))
    testutil.fails_with("PipelineRunner: option 'decode.decode_version' must be one of 'v2', 'v0', got 'v1'",
                        P.PipelineRunner, config(input, dir, {decode = {decode_version = "v1"}}))
    testutil.fails_with("PipelineRunner: option 'stages' entry 1 must be one of", P.PipelineRunner,
                        config(input, dir, {stages = {"gridscore"}}))
    testutil.fails_with("PipelineRunner: option 'input' is required", P.PipelineRunner, {workdir = dir})
    testutil.fails_with("PipelineRunner: option 'cohomap' must be a table", P.PipelineRunner,
                        config(input, dir, {cohomap = 3}))
    testutil.fails_with("PipelineRunner: unknown option 'hook'", P.PipelineRunner, config(input, dir), {hook = 1})
  end)

  it("reports a failing stage in its result, not as a Lua error", function()
    local r = P.PipelineRunner(config(input, dir .. "/e", {preprocess = {method = "none"}})):run()
    assert.is_false(r.success)
    assert.truthy(r.error:find("TDA requires a dense spike matrix", 1, true))
    r = P.PipelineRunner(config(dir .. "/missing.npz", dir .. "/e")):run()
    assert.is_false(r.success)
    assert.truthy(r.error:find("missing.npz", 1, true))
  end)
end)

describe("canns.pipeline.asa session files", function()
  it("round-trip spike trains and dense matrices", function()
    local dir = testutil.tmpdir()
    local trains = {core.array({0.1, 0.5}, "float64"), core.array({}, "float64"), core.array({0.2}, "float64")}
    P.save_asa_npz(dir .. "/a.npz", {spike = trains, t = {0, 0.5, 1}, x = {0, 1, 2}, y = {0, 0, 0}})
    local d = P.load_asa_npz(dir .. "/a.npz")
    assert.is_false(d.dense)
    assert.same({{0.1, 0.5}, {}, {0.2}}, {d.spike[1]:totable(), d.spike[2]:totable(), d.spike[3]:totable()})
    assert.same({0, 1, 2}, d.x:totable())
    local S = core.array({{1, 0}, {0, 2}}, "float32")
    P.save_asa_npz(dir .. "/b.npz", {spike = S, t = {0, 1}})
    local b = P.load_asa_npz(dir .. "/b.npz")
    assert.is_true(b.dense)
    assert.same(S:totable(), b.spike:totable())
    canns.io.save_npz(dir .. "/c.npz", {t = core.array({0, 1}, "float64")})
    testutil.fails_with("has no 'spike' entry", P.load_asa_npz, dir .. "/c.npz")
    canns.io.save_npz(dir .. "/d.npz", {t = core.array({0}, "float64"), spike = core.array({1, 2}, "float64"),
                                        spike_counts = core.array({3}, "int64")})
    testutil.fails_with("do not match", P.load_asa_npz, dir .. "/d.npz")
    testutil.fails_with("save_asa_npz: argument 2 (data) must have a 'spike' entry", P.save_asa_npz,
                        dir .. "/e.npz", {t = {0}})
    testutil.rmtree(dir)
  end)
end)

describe("canns.pipeline.json", function()
  it("encodes with sorted keys and decodes back", function()
    local v = {b = 1, a = {true, false, "q\"\n"}, c = 0.1, d = {}, e = 2.0}
    local text = json.encode(v)
    assert.equal('{"a":[true,false,"q\\"\\n"],"b":1,"c":0.1,"d":{},"e":2.0}', text)
    assert.same(v, json.decode(text))
    local _, err = json.decode('{"a": [1, 2')
    assert.truthy(err:find("at character", 1, true))
    assert.has_error(function() json.encode({x = 0 / 0}) end)
    assert.equal(json.null, json.decode("null"))
  end)
end)
