-- Spatial TDA (canns.analyzer.data.asa.spatial_tda) against canns 1.5.0 on
-- the same synthetic grid-cell session (scripts/fixtures/
-- make_spatial_tda_fixtures.py): the rate tensor (float32 fixture, 1e-6
-- relative, NaN where upstream's are), occupancy and valid mask (exact),
-- the point cloud (1e-12), PCA variance ratios (1e-10), the diagrams
-- (Ripser in float32: 1e-5) and crop_center's windows (exact); the null
-- model's permutations against their definition; the output files; the
-- command line; bad input.
local canns = require "canns"
local core = require "canns.core"
local asa = canns.analyzer.data.asa
local st = require "canns.analyzer.data.asa.spatial_tda"
local cli = require "canns.analyzer.data.asa.spatial_tda_cli"

local function L(n) return canns.load(testutil.fixture("spatial_tda/" .. n .. ".npy")) end

-- rows of a diagram sorted by (birth, death), as Lua tables
local function sorted_rows(d)
  local rows = d:astype("float64"):totable()
  table.sort(rows, function(a, b) if a[1] ~= b[1] then return a[1] < b[1] end return a[2] < b[2] end)
  return rows
end

local function session()
  local P = L("pos")
  return {spike = L("spike"), x = P:slice(2, {1, 1}):flatten(), y = P:slice(2, {2, 2}):flatten()}
end

local RUN = {skip_embed = true, bins = 20, crop_fraction = 0.5, pca_dim = 5, maxdim = 1}

describe("spatial TDA", function()
  local dir, r
  setup(function()
    dir = testutil.tmpdir()
    local o = {out_dir = dir .. "/run"}
    for k, v in pairs(RUN) do o[k] = v end
    r = asa.run_spatial_tda_from_asa(session(), o)
  end)
  teardown(function() testutil.rmtree(dir) end)

  it("crops the centre as upstream", function()
    for _, c in ipairs(L("crop_cases"):totable()) do
      local h, w, f = math.tointeger(c[1]), math.tointeger(c[2]), c[3]
      local a = core.arange(h * w):astype("float64"):reshape({h, w})
      local cc = st.crop_center(a, f)
      local v = cc:totable()[1][1]
      assert.same({c[6], c[7]}, {cc:shape(1), cc:shape(2)}, ("%dx%d at %g"):format(h, w, f))
      assert.equal(c[4] * w + c[5], v, ("%dx%d at %g"):format(h, w, f))
    end
    assert.equal(1, st.crop_center(core.ones({4, 4, 3}), 0.1):shape(1)) -- at least one bin
    assert.same({6, 6, 3}, st.crop_center(core.ones({6, 6, 3}), 1.0):shape())
  end)

  it("builds the rate tensor, occupancy and point cloud as upstream", function()
    local ref = L("fr_tensor"):astype("float64"):flatten():totable()
    local got = r.fr_tensor:flatten():totable()
    assert.equal(#ref, #got)
    for i = 1, #ref do
      if ref[i] ~= ref[i] then
        assert.is_true(got[i] ~= got[i], "NaN bin " .. i)
      else
        assert.is_true(math.abs(got[i] - ref[i]) <= 1e-6 * math.max(1, math.abs(ref[i])), "bin " .. i)
      end
    end
    assert.equal(0, testutil.maxabs(r.occupancy, L("occupancy")))
    assert.equal("bool", r.valid_mask:dtype())
    assert.equal(0, testutil.maxabs(r.valid_mask:astype("float64"), L("valid_mask")))
    assert.same(L("points"):shape(), r.points:shape())
    assert.is_true(testutil.maxabs(r.points, L("points")) <= 1e-12)
    assert.is_true(testutil.maxabs(r.explained_variance_ratio, L("explained_variance_ratio")) <= 1e-10)
    -- the aliases upstream exports from the package
    local p2 = asa.build_spatial_point_cloud(r.fr_tensor, r.occupancy, {crop_fraction = 0.5})
    assert.equal(0, testutil.maxabs(p2, r.points))
  end)

  it("finds upstream's diagrams", function()
    for d = 0, 1 do
      local ref, got = sorted_rows(L("dgm" .. d)), sorted_rows(r.persistence.dgms[d + 1])
      assert.equal(#ref, #got, "H" .. d .. " bars")
      for i = 1, #ref do
        for j = 1, 2 do
          local a, b = got[i][j], ref[i][j]
          if b == math.huge then assert.equal(b, a) else assert.is_true(math.abs(a - b) <= 1e-5, ("H%d %d"):format(d, i)) end
        end
      end
    end
    local s = r.summary.real_topology
    assert.equal(#st.finite_lifetimes(L("dgm1")), s.h1_count)
    assert.equal(#st.finite_lifetimes(L("dgm0")), s.h0_count) -- the infinite bar is left out
    local life = asa.spatial_tda_lifetimes(L("dgm1"))
    for i = 1, 5 do assert.is_true(math.abs(s.h1_top[i] - life[i]) <= 1e-5) end
    for i = 2, #life do assert.is_true(life[i - 1] >= life[i]) end
  end)

  it("projects on the leading principal axes", function()
    -- full-rank PCA of standardised columns is a rotation: pairwise distances stay
    local X = r.points
    local n, N = X:shape(1), X:shape(2)
    local Z, evr = st.pca_reduce(X, N, true)
    local mean = X:mean(1):reshape({1, N})
    local sd = (X - mean):pow(2):mean(1):sqrt():reshape({1, N})
    local Y = ((X - mean) / sd):totable()
    local Zt = Z:totable()
    for _, pq in ipairs({{1, 2}, {3, n}, {n // 2, 7}}) do
      local a, b = pq[1], pq[2]
      local d1, d2 = 0, 0
      for j = 1, N do d1 = d1 + (Y[a][j] - Y[b][j]) ^ 2 end
      for j = 1, Z:shape(2) do d2 = d2 + (Zt[a][j] - Zt[b][j]) ^ 2 end
      assert.is_true(math.abs(d1 - d2) <= 1e-9 * math.max(1, d1))
    end
    assert.is_true(math.abs(evr:sum() - 1) <= 1e-12)
    for i = 2, evr:size() do assert.is_true(evr[i - 1] >= evr[i]) end
    local Z3 = st.pca_reduce(X, 3, true) -- leading columns of the same projection, up to sign
    for i = 1, 5 do
      for j = 1, 3 do assert.is_true(math.abs(math.abs(Z3:totable()[i][j]) - math.abs(Zt[i][j])) <= 1e-9) end
    end
    assert.equal(2, st.pca_reduce(core.ones({5, 2}):astype("float64") + core.arange(5):reshape({5, 1}), 10, false):shape(2))
  end)

  it("permutes each neuron's map among the valid bins only", function()
    local crop = st.crop_center(r.fr_tensor, 0.5)
    local h, w, N = crop:shape(1), crop:shape(2), crop:shape(3)
    canns.random.seed(3)
    local p = st.permute_each_neuron_map(crop, r.valid_mask)
    local a, b = crop:reshape({h * w, N}):totable(), p:reshape({h * w, N}):totable()
    local vm = r.valid_mask:flatten():totable()
    local moved = 0
    for n = 1, N do
      local va, vb = {}, {}
      for i = 1, h * w do
        if vm[i] then
          va[#va + 1], vb[#vb + 1] = a[i][n], b[i][n]
          if a[i][n] ~= b[i][n] then moved = moved + 1 end
        else
          assert.is_true(a[i][n] == b[i][n] or (a[i][n] ~= a[i][n] and b[i][n] ~= b[i][n]))
        end
      end
      table.sort(va); table.sort(vb)
      assert.same(va, vb) -- the same values per neuron
    end
    assert.is_true(moved > 0)
  end)

  it("runs the null model reproducibly from its seed", function()
    local o = {crop_fraction = 0.5, pca_dim = 5, maxdim = 1, num_shuffles = 3, seed = 7, progress_bar = false}
    local a = st.run_spatial_null_model(r.fr_tensor, r.occupancy, o)
    local b = st.run_spatial_null_model(r.fr_tensor, r.occupancy, o)
    o.seed = 8
    local c = st.run_spatial_null_model(r.fr_tensor, r.occupancy, o)
    assert.equal(2, #a)
    assert.equal(3, #a[2])
    assert.same(a, b)
    assert.are_not.same(a, c)
    for d = 1, 2 do
      for _, v in ipairs(a[d]) do assert.is_true(v > 0 and v < math.huge) end
    end
  end)

  it("writes upstream's files", function()
    for _, k in ipairs({"barcode_png", "point_cloud_npz", "persistence_npz", "summary_json"}) do
      assert.is_true(testutil.exists(r[k]), k)
    end
    local z = canns.io.load_npz(r.persistence_npz)
    assert.is_true(z.dgms_0 ~= nil and z.dgms_1 ~= nil)
    assert.equal(0, testutil.maxabs(z.dgms_1, r.persistence.dgms[2]))
    local c = canns.io.load_npz(r.point_cloud_npz)
    for _, k in ipairs({"fr_tensor", "occupancy", "points", "valid_mask", "points_pca", "explained_variance_ratio"}) do
      assert.is_true(c[k] ~= nil, k)
    end
    local js = io.open(r.summary_json):read("a")
    assert.is_truthy(js:find('"h1_count": ' .. r.summary.real_topology.h1_count, 1, true))
    assert.is_truthy(js:find('"pca_dim_effective": 5', 1, true))
  end)

  it("runs as `canns spatial-tda`", function()
    local o = assert(cli.parse({"--data", "s.npz", "--bins=20", "--shuffle", "--seed", "3"}))
    assert.same({"s.npz", 20, true, 3, 7}, {o.data, o.bins, o.shuffle, o.seed, o.pca_dim})
    assert.equal(1 / 3, o.crop_fraction)
    assert.is_nil(cli.parse({}))
    local parser = st.build_arg_parser()
    assert.equal(30, parser:parse_args({"--data", "a.npz", "--bins", "30"}).bins)
    testutil.fails_with("--data is required", parser.parse_args, parser, {})
    local _, msg = cli.parse({"--bins", "x", "--data", "a"})
    assert.is_truthy(msg:find("--bins must be an integer, got 'x'", 1, true))
    _, msg = cli.parse({"--data", "a", "--bogus"})
    assert.is_truthy(msg:find("unrecognized argument '--bogus'", 1, true))
    local s = session()
    s.t = core.arange(s.spike:shape(1)):astype("float64")
    canns.io.save_npz(dir .. "/s.npz", s)
    local out = dir .. "/cli"
    assert.equal(0, cli.main("--data", dir .. "/s.npz", "--out-dir", out, "--skip-embed", "--bins", "20", "--crop-fraction", "0.5",
             "--pca-dim", "5", "--maxdim", "1"))
    local z = canns.io.load_npz(out .. "/spatial_tda_persistence.npz")
    assert.is_true(testutil.maxabs(z.dgms_1, r.persistence.dgms[2]) <= 1e-12)
    assert.equal(2, cli.main("--out-dir", out)) -- a usage error, as argparse
  end)

  it("rejects bad input naming the argument", function()
    testutil.fails_with("crop_center: argument 2 (fraction)", st.crop_center, core.ones({4, 4}), 0)
    testutil.fails_with("crop_center: argument 2 (fraction)", st.crop_center, core.ones({4, 4}), 1.5)
    testutil.fails_with("crop_center: argument 1 (arr) must be 2-D or 3-D", st.crop_center, core.ones(4), 0.5)
    testutil.fails_with("fr_tensor_to_point_cloud: argument 2 (occupancy) must be (20, 20)",
                        st.fr_tensor_to_point_cloud, r.fr_tensor, core.ones({3, 3}))
    testutil.fails_with("pca_reduce: argument 2 (dim)", st.pca_reduce, r.points, 0, true)
    testutil.fails_with("pca_reduce: argument 1 (points)", st.pca_reduce, core.array({{0 / 0, 1}, {1, 2}}), 1, true)
    testutil.fails_with("run_spatial_tda_from_asa: argument 1 (asa) must contain at least spike, x and y",
                        asa.run_spatial_tda_from_asa, {spike = L("spike")}, {out_dir = dir})
    testutil.fails_with("out_dir", asa.run_spatial_tda_from_asa, session(), {skip_embed = true})
    testutil.fails_with("embed_config is required", asa.run_spatial_tda_from_asa, session(), {out_dir = dir .. "/x"})
    testutil.fails_with("too few valid spatial bins", asa.run_spatial_tda_from_asa, session(),
                        {out_dir = dir .. "/y", skip_embed = true, bins = 2, crop_fraction = 0.5})
    testutil.fails_with("bins", asa.run_spatial_tda_from_asa, session(), {out_dir = dir .. "/z", skip_embed = true, bins = -1})
    testutil.fails_with("unknown option 'binz'", asa.run_spatial_tda_from_asa, session(), {out_dir = dir, binz = 3})
    testutil.fails_with("permute_each_neuron_map: argument 2 (valid_mask) must have 20 x 20",
                        st.permute_each_neuron_map, r.fr_tensor, core.ones({2, 2}))
    testutil.fails_with("load_asa_npz", cli.main, "--data", dir .. "/missing.npz", "--out-dir", dir .. "/m")
  end)
end)
