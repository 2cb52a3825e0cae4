-- cell_classification's MATLAB loader (MATFileLoader, TuningCurve, Unit)
-- against what upstream canns 1.5.0 returned for the same files
-- (scripts/fixtures/make_cellc_mat_fixtures.py; numbers exactly equal:
-- the loader only moves bytes), and bad input.
local canns = require "canns"
local cc = canns.analyzer.data.cell_classification
local L = cc.MATFileLoader

local function mat(name) return testutil.fixture("cellc/mat/" .. name .. ".mat") end
local function fx(name) return canns.load(testutil.fixture("cellc/mat/" .. name .. ".npy")) end
local function shape(a) return table.concat(a:shape(), "x") end
local function same(a, b)
  assert.are.equal(shape(canns.array(b)), shape(canns.array(a)))
  assert.are.equal(0, testutil.maxabs(a, b))
end

-- stderr is where skipped units are reported; keep the test output clean
local function quietly(f, ...)
  local saved = io.stderr
  local msgs = {}
  io.stderr = {write = function(_, s) msgs[#msgs + 1] = s end}
  local ok, a, b = pcall(f, ...)
  io.stderr = saved
  if not ok then error(a, 0) end
  return a, b, table.concat(msgs)
end

describe("MATFileLoader.load", function()
  for _, name in ipairs({"basic", "basic_compressed"}) do
    it("reads a v5 file (" .. name .. ") as scipy.io.loadmat(squeeze_me=True) does", function()
      local d, ver = L.load(mat(name))
      assert.are.equal("5", ver)
      for _, k in ipairs({"x", "u16", "i64", "single", "col", "cube"}) do same(d[k], fx("basic_" .. k)) end
      assert.are.equal("float32", d.single:dtype())
      assert.are.equal("bool", d.b:dtype())
      same(canns.array(d.b, "float64"), canns.array(fx("basic_b"), "float64"))
      assert.are.equal(3.5, d.s)
      assert.are.equal(-7, d.i8)
      assert.is_true(math.type(d.i8) == "integer")
      assert.are.equal(true, d.t)
      assert.are.equal("grid cell", d.name)
      -- structs become tables of fields; nested structs nest
      assert.are.equal(1.0, d.st.a)
      same(d.st.v, {1.0, 2.0, 3.0})
      same(d.st.inner.w, fx("basic_st_inner_w"))
      -- a cell array becomes a list of its converted elements
      assert.are.equal(3, #d.c)
      assert.are.equal(1.0, d.c[1])
      assert.are.equal("hi", d.c[2])
      same(d.c[3], {1.0, 1.0})
      assert.are.equal(0, d.empty:size())
      -- no "__header__"-like keys
      for k in pairs(d) do assert.is_nil(k:find("^__")) end
    end)
  end

  it("reads a v7.3 (HDF5) file in MATLAB's order", function()
    local d, ver = L.load(mat("v73"))
    assert.are.equal("7.3", ver)
    same(d.x, fx("v73_x"))
    -- upstream's h5py path returns the stored (transposed) order
    same(d.x:transpose(), fx("v73_upstream_x"))
  end)

  it("rejects missing, non-MATLAB and truncated files naming filepath", function()
    testutil.fails_with("MATFileLoader.load: argument 1 (filepath) '" .. mat("nope") .. "' cannot be opened",
                        L.load, mat("nope"))
    testutil.fails_with("argument 1 (filepath)", L.load, mat("not_mat"))
    testutil.fails_with("is not a readable MATLAB .mat file", L.load, mat("not_mat"))
    testutil.fails_with("argument 1 (filepath)", L.load, mat("truncated"))
    testutil.fails_with("truncated or corrupt", L.load, mat("truncated"))
    testutil.fails_with("MATFileLoader.load: argument 1 (filepath) must be a string, got 3", L.load, 3)
    testutil.fails_with("argument 1 (filepath)", L.load, nil)
    -- classes canns does not convert
    testutil.fails_with("MATFileLoader.load: argument 1 (filepath) holds variable 'z': complex values are not supported",
                        L.load, mat("complex"))
    testutil.fails_with("MATFileLoader.load: argument 1 (filepath) holds variable 'm': MATLAB sparse values",
                        L.load, mat("sparse"))
    -- a directory is not a file either
    testutil.fails_with("argument 1 (filepath)", L.load, testutil.fixture("cellc/mat"))
  end)
end)

describe("MATFileLoader.load_unit_data", function()
  it("parses units as upstream and skips a unit that cannot be parsed", function()
    local units, _, msgs = quietly(L.load_unit_data, mat("units"))
    assert.are.equal(fx("units_n")[1], #units)
    assert.is_truthy(msgs:find("Failed to parse unit 3", 1, true))
    for i, u in ipairs(units) do
      local p = "units_" .. (i - 1) .. "_"
      assert.are.equal(i - 1, u.unit_id)
      same(u.spike_times, fx(p .. "spike_times"))
      same(u.hd_tuning.rates, fx(p .. "hd_rates"))
      same(u.hd_tuning.bins, fx(p .. "hd_bins"))
      same(u.pos_tuning.rates, fx(p .. "pos_rates"))
      same(u.pos_tuning.bins, fx(p .. "pos_bins"))
      same(u.theta_tuning.rates, fx(p .. "theta_rates"))
      local s = fx(p .. "scalars")
      assert.are.equal(s[1], u.hd_tuning.mvl)
      assert.are.equal(s[2], u.hd_tuning.center_of_mass)
      assert.are.equal(s[3], u.hd_tuning.peak_rate)
      assert.are.equal(s[4], u.pos_tuning.peak_rate)
      assert.are.equal(s[5], u.theta_tuning.mvl)
      assert.are.equal(s[6] ~= 0, u.is_grid)
      assert.is_nil(u.pos_tuning.mvl)
      assert.is_nil(u.spike_indices)
      assert.are.equal("Unit", getmetatable(u).__name)
    end
  end)

  it("takes one struct as a list of one and spikeInds as spike_indices", function()
    local units = L.load_unit_data(mat("unit_one"))
    assert.are.equal(1, #units)
    assert.are.equal(0, units[1].spike_times:size())
    same(units[1].spike_indices, {3, 5, 8})
    assert.are.equal(true, units[1].is_grid)
    assert.is_nil(units[1].hd_tuning)
  end)

  it("names filepath when the file or its 'units' is missing", function()
    testutil.fails_with("MATFileLoader.load_unit_data: argument 1 (filepath) '" .. mat("no_units")
                        .. "' has no variable 'units'", L.load_unit_data, mat("no_units"))
    testutil.fails_with("MATFileLoader.load_unit_data: argument 1 (filepath)", L.load_unit_data, mat("nope"))
    testutil.fails_with("MATFileLoader.load_unit_data: argument 1 (filepath)", L.load_unit_data, mat("truncated"))
    testutil.fails_with("MATFileLoader.load_unit_data: argument 1 (filepath)", L.load_unit_data, mat("not_mat"))
    testutil.fails_with("MATFileLoader.load_unit_data: argument 1 (filepath) must be a string",
                        L.load_unit_data, {})
  end)
end)

describe("MATFileLoader.load_example_cells", function()
  it("parses example cells as upstream", function()
    local cells = L.load_example_cells(mat("example_cells"))
    assert.are.equal(3, #cells)
    for j, u in ipairs(cells) do
      local p = "ex_" .. (j - 1) .. "_"
      local s = fx(p .. "scalars")
      assert.are.equal(s[1], u.unit_id)
      same(u.hd_tuning.rates, fx(p .. "hd_rates"))
      same(u.hd_tuning.bins, fx(p .. "hd_bins"))
      same(u.pos_tuning.rates, fx(p .. "pos_rates"))
      same(u.pos_tuning.bins, fx(p .. "pos_bins"))
      assert.are.equal(s[2], u.hd_tuning.mvl)
      assert.are.equal(s[3], u.hd_tuning.peak_rate)
      assert.are.equal(s[4], u.pos_tuning.peak_rate)
      assert.are.equal("rec" .. (j - 1), u.metadata.recording)
      assert.are.equal(0, u.spike_times:size())
    end
  end)

  it("names filepath when 'res' is missing", function()
    testutil.fails_with("MATFileLoader.load_example_cells: argument 1 (filepath) '" .. mat("units")
                        .. "' has no variable 'res'", L.load_example_cells, mat("units"))
    testutil.fails_with("MATFileLoader.load_example_cells: argument 1 (filepath)", L.load_example_cells,
                        mat("not_mat"))
  end)
end)

describe("TuningCurve and Unit", function()
  it("TuningCurve defaults peak_rate to the largest rate (0 for none)", function()
    local t = cc.TuningCurve({0, 1, 2}, {0.5, 2.5, 1.0})
    assert.are.equal(2.5, t.peak_rate)
    assert.is_nil(t.mvl)
    local e = cc.TuningCurve{bins = {}, rates = {}}
    assert.are.equal(0.0, e.peak_rate)
    local k = cc.TuningCurve({0, 1}, {1, 2}, 0.3, 1.5, 9.0)
    assert.are.equal(0.3, k.mvl)
    assert.are.equal(1.5, k.center_of_mass)
    assert.are.equal(9.0, k.peak_rate)
    assert.is_truthy(tostring(k):find("TuningCurve", 1, true))
  end)

  it("Unit holds its fields with upstream's defaults", function()
    local hd = cc.TuningCurve({0, 1}, {1, 2})
    local u = cc.Unit{unit_id = "u7", spike_times = {0.1, 0.2}, hd_tuning = hd, is_grid = false}
    assert.are.equal("u7", u.unit_id)
    same(u.spike_times, {0.1, 0.2})
    assert.are.equal(hd, u.hd_tuning)
    assert.are.equal(false, u.is_grid)
    assert.is_nil(u.is_hd)
    assert.is_nil(u.gridness_score)
    assert.are.same({}, u.metadata)
  end)

  it("rejects bad arguments naming them", function()
    testutil.fails_with("TuningCurve: option 'rates' must be an array", cc.TuningCurve, {0}, "x")
    testutil.fails_with("TuningCurve", cc.TuningCurve, {0}, {1}, "high")
    testutil.fails_with("Unit: ", cc.Unit{unit_id = 1, spike_times = {}} and cc.Unit, {spike_times = {}})
    testutil.fails_with("hd_tuning", cc.Unit, {unit_id = 1, spike_times = {}, hd_tuning = {1, 2}})
    testutil.fails_with("is_grid", cc.Unit, {unit_id = 1, spike_times = {}, is_grid = "yes"})
  end)
end)
