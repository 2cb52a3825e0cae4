-- canns.io: NPY, NPZ and netCDF files from Lua.  Fixtures in
-- spec/fixtures/io were written by numpy (scripts/fixtures/make_io_fixtures.py).
local canns = require "canns"
local cio = require "canns.io"

-- Deep equality of nested tables / numbers with NaN equal to NaN.
local function deep_equal(x, y)
  if type(x) == "table" and type(y) == "table" then
    if #x ~= #y then return false end
    for i = 1, #x do
      if not deep_equal(x[i], y[i]) then return false end
    end
    return true
  end
  if type(x) == "number" and type(y) == "number" and x ~= x and y ~= y then
    return true
  end
  return x == y and math.type(x) == math.type(y)
end

-- Same dtype, shape and elements (bitwise for integers, NaN-aware).
local function same(a, b)
  return a:dtype() == b:dtype() and deep_equal(a:shape(), b:shape())
    and deep_equal(a:totable(), b:totable())
end

local function read_bytes(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  return s
end

-- The arrays of make_io_fixtures.py, built from the same formulas.
local function expected(name)
  if name == "f4" then
    local t = {}
    for i = 0, 11 do t[#t + 1] = (i - 5) / 4 end
    return canns.array(t, "float32"):reshape({3, 4})
  elseif name == "f8" then
    -- math.abs: numpy's NaN has the sign bit clear, 0/0 on x86 has it set
    return canns.array({0.0, -1.5, 1e300, math.abs(0 / 0), math.huge, -math.huge,
                        3.141592653589793, 0.1}, "float64")
  elseif name == "i4" then
    return canns.array({{-2147483648, -1, 0}, {1, 2147483647, 42}}, "int32")
  elseif name == "i8" then
    local a = canns.zeros({}, "int64")
    a:set((1 << 62) + 1)
    return a
  elseif name == "b1" then
    local t = {}
    for i = 0, 7 do t[#t + 1] = (i % 3 == 0) end
    return canns.array(t, "bool"):reshape({2, 2, 2})
  elseif name == "empty_f4" then
    return canns.zeros({0, 3}, "float32")
  end
end

local fixture_names = {"f4", "f8", "i4", "i8", "b1", "empty_f4"}

describe("canns.io", function()
  local dir
  before_each(function() dir = testutil.tmpdir() end)
  after_each(function() testutil.rmtree(dir) end)

  local function files_in_dir()
    local p = io.popen("ls -A '" .. dir .. "'")
    local names = {}
    for line in p:lines() do names[#names + 1] = line end
    p:close()
    return names
  end

  describe("npy", function()
    it("round-trips every dtype, 0-d and empty arrays", function()
      local cases = {
        canns.linspace(-1, 1, 7),
        canns.arange(0, 12, 1, "float64"):reshape({3, 4}) / 7,
        canns.array({{-3, 0, 2147483647}}, "int32"),
        canns.full({2, 1, 2}, -5, "int64"),
        canns.array({true, false, true}, "bool"),
        canns.full({}, 2.5, "float32"),
        canns.zeros({0}, "float64"),
        canns.zeros({4, 0}, "int32"),
      }
      for i, a in ipairs(cases) do
        local p = dir .. "/a" .. i .. ".npy"
        cio.save_npy(p, a)
        assert.is_true(same(a, cio.load_npy(p)))
      end
      assert.are.equal(#cases, #files_in_dir())
    end)

    it("keeps int64 values exactly", function()
      local a = expected("i8")
      local p = dir .. "/big.npy"
      cio.save_npy(p, a)
      assert.are.equal((1 << 62) + 1, cio.load_npy(p):item())
    end)

    it("reads numpy's files exactly and writes the same bytes", function()
      for _, name in ipairs(fixture_names) do
        local file = testutil.fixture("io/" .. name .. ".npy")
        local got, want = cio.load_npy(file), expected(name)
        assert.is_true(same(got, want), name)
        local p = dir .. "/" .. name .. ".npy"
        cio.save_npy(p, want)
        assert.are.equal(read_bytes(file), read_bytes(p), name)
      end
    end)

    it("reads format 2.0 and 3.0 headers", function()
      for _, v in ipairs{"f8_v2.npy", "f8_v3.npy"} do
        assert.is_true(same(cio.load_npy(testutil.fixture("io/" .. v)), expected("f8")))
      end
    end)

    it("writes a numpy header: v1, dict literal, padded to 64 bytes", function()
      local p = dir .. "/h.npy"
      cio.save_npy(p, canns.zeros({2, 3}, "float64"))
      local b = read_bytes(p)
      assert.are.equal("\x93NUMPY\1\0", b:sub(1, 8))
      local hlen = b:byte(9) + 256 * b:byte(10)
      assert.are.equal(0, (10 + hlen) % 64)
      local header = b:sub(11, 10 + hlen)
      assert.truthy(header:find("'descr': '<f8'", 1, true))
      assert.truthy(header:find("'fortran_order': False", 1, true))
      assert.truthy(header:find("'shape': (2, 3)", 1, true))
      assert.are.equal("\n", header:sub(-1))
      assert.are.equal(10 + hlen + 48, #b)
    end)

    it("refuses unsupported numpy files with a clear message", function()
      local cases = {
        reject_be_f8 = "big-endian", reject_fortran = "Fortran order",
        reject_u1 = "'|u1' is not supported", reject_c8 = "'<c8' is not supported",
        reject_struct = "structured", reject_object = "'|O' is not supported",
      }
      for name, msg in pairs(cases) do
        local err = testutil.fails_with(msg, cio.load_npy,
                                        testutil.fixture("io/" .. name .. ".npy"))
        assert.truthy(err:find("load_npy", 1, true))
        assert.truthy(err:find(name, 1, true))
      end
    end)

    it("reports truncated and corrupt files", function()
      local good = read_bytes(testutil.fixture("io/f4.npy"))
      local p = dir .. "/bad.npy"
      for _, n in ipairs{0, 5, 9, 40, 127, 128, 150, #good - 1} do
        local f = assert(io.open(p, "wb"))
        f:write(good:sub(1, n))
        f:close()
        testutil.fails_with("load_npy: " .. p, cio.load_npy, p)
      end
      local f = assert(io.open(p, "wb"))
      f:write(good .. "xx")
      f:close()
      testutil.fails_with("unexpected bytes after its data", cio.load_npy, p)
    end)

    it("checks its arguments", function()
      local a = canns.zeros(3)
      testutil.fails_with("save_npy: argument 1 (path) must be a file name (string), got 3",
                          cio.save_npy, 3, a)
      testutil.fails_with("save_npy: argument 1 (path) must be a non-empty file name",
                          cio.save_npy, "", a)
      testutil.fails_with("save_npy: argument 2 (array) must be an array, got a table",
                          cio.save_npy, dir .. "/x.npy", {1, 2})
      testutil.fails_with("save_npy: argument 2 (array) must be an array, got nil",
                          cio.save_npy, dir .. "/x.npy")
      testutil.fails_with("load_npy: argument 1 (path) must be a file name (string), got nil",
                          cio.load_npy)
      testutil.fails_with("load_npy: cannot open '" .. dir .. "/missing.npy'",
                          cio.load_npy, dir .. "/missing.npy")
      testutil.fails_with("is not a regular file", cio.load_npy, dir)
      testutil.fails_with("save_npy: cannot create '" .. dir .. "/no/x.npy'",
                          cio.save_npy, dir .. "/no/x.npy", a)
      testutil.fails_with("is a directory", cio.save_npy, dir, a)
      assert.are.same({}, files_in_dir())
    end)
  end)

  describe("npz", function()
    local arrays = {
      u = canns.linspace(0, 1, 6):reshape({2, 3}),
      mask = canns.array({true, false}, "bool"),
      n = canns.full({}, 7, "int64"),
      empty = canns.zeros({0, 2}, "float64"),
      big = canns.zeros(5000, "float64"),
    }

    it("round-trips several arrays, compressed or stored", function()
      for _, compress in ipairs{true, false} do
        local p = dir .. "/r.npz"
        cio.save_npz(p, arrays, {compress = compress})
        local back = cio.load_npz(p)
        local count = 0
        for k, v in pairs(back) do
          count = count + 1
          assert.is_true(same(arrays[k], v), k)
        end
        assert.are.equal(5, count)
        local size = #read_bytes(p)
        if compress then assert.is_true(size < 4000) else assert.is_true(size > 40000) end
      end
      cio.save_npz(dir .. "/default.npz", arrays)
      assert.is_true(#read_bytes(dir .. "/default.npz") < 4000) -- compressed by default
    end)

    it("reads numpy.savez and numpy.savez_compressed archives", function()
      local z = cio.load_npz(testutil.fixture("io/savez.npz"))
      for _, k in ipairs{"f4", "i8", "b1"} do assert.is_true(same(z[k], expected(k)), k) end
      z = cio.load_npz(testutil.fixture("io/savez_compressed.npz"))
      for _, k in ipairs{"f8", "i4", "empty_f4"} do assert.is_true(same(z[k], expected(k)), k) end
    end)

    it("writes and reads an empty archive", function()
      cio.save_npz(dir .. "/e.npz", {})
      assert.are.same({}, cio.load_npz(dir .. "/e.npz"))
    end)

    it("checks its arguments and files", function()
      local p = dir .. "/x.npz"
      testutil.fails_with("save_npz: argument 2 (arrays.a) must be an array, got 1",
                          cio.save_npz, p, {a = 1})
      testutil.fails_with("save_npz: argument 2 (arrays) must be a table with string keys",
                          cio.save_npz, p, {canns.zeros(2)})
      testutil.fails_with("save_npz: argument 2 (arrays) must be a table of name = array, got nil",
                          cio.save_npz, p)
      testutil.fails_with("save_npz: unknown option 'compres'",
                          cio.save_npz, p, {a = canns.zeros(2)}, {compres = true})
      testutil.fails_with("save_npz: option 'compress' must be a boolean, got 1",
                          cio.save_npz, p, {a = canns.zeros(2)}, {compress = 1})
      testutil.fails_with("load_npz: cannot open", cio.load_npz, dir .. "/missing.npz")
      testutil.fails_with("is not a readable NPZ (zip) archive", cio.load_npz,
                          testutil.fixture("io/f4.npy"))
      assert.are.same({}, files_in_dir())
      -- a corrupt archive: flip bytes in the middle of a compressed member
      cio.save_npz(p, {big = canns.linspace(0, 1, 3000)})
      local b = read_bytes(p)
      local mid = #b // 2
      local f = assert(io.open(p, "wb"))
      f:write(b:sub(1, mid - 1), string.char(b:byte(mid) ~ 0x55), b:sub(mid + 1))
      f:close()
      testutil.fails_with("load_npz: " .. p, cio.load_npz, p)
    end)
  end)

  describe("netcdf", function()
    local u = canns.linspace(0, 1, 12):reshape({4, 3})
    local x = canns.arange(0, 3, 1, "float64")
    local mask = canns.array({true, false, false, true}, "bool")

    it("round-trips variables, dimension names and attributes", function()
      local p = dir .. "/run.nc"
      cio.save_nc(p, {u = u, x = x, mask = mask, k = canns.full({}, -2, "int64")}, {
        dims = {u = {"time", "neuron"}, x = {"neuron"}, mask = {"time"}},
        attrs = {global = {title = "run 1", dt = 0.1, seeds = {1, 2, 3}},
                 u = {units = "a.u.", scale = canns.array({0.5, 2}, "float32")},
                 x = {big = 1 << 40}},
        deflate = 4,
      })
      local vars, meta = cio.load_nc(p)
      assert.is_true(same(vars.u, u))
      assert.is_true(same(vars.x, x))
      assert.is_true(same(vars.mask, mask))
      assert.are.equal(-2, vars.k:item())
      assert.are.same({"time", "neuron"}, meta.dims.u)
      assert.are.same({"neuron"}, meta.dims.x)
      assert.are.same({}, meta.dims.k)
      assert.are.same({"k", "mask", "u", "x"}, meta.order)
      assert.are.equal("run 1", meta.attrs.global.title)
      assert.are.equal(0.1, meta.attrs.global.dt)
      assert.are.same({1, 2, 3}, meta.attrs.global.seeds)
      assert.are.equal(math.type(1), math.type(meta.attrs.global.seeds[1]))
      assert.are.equal("a.u.", meta.attrs.u.units)
      assert.are.same({0.5, 2.0}, meta.attrs.u.scale)
      assert.are.equal(1 << 40, meta.attrs.x.big)
      assert.is_nil(meta.attrs.mask) -- the bool marker is hidden
    end)

    it("names missing dimensions <var>_dim<k> and copies a file", function()
      local p, q = dir .. "/a.nc", dir .. "/b.nc"
      cio.save_nc(p, {u = u, x = x}, {dims = {x = {"neuron"}}, attrs = {u = {units = "m"}}})
      local vars, meta = cio.load_nc(p)
      assert.are.same({"u_dim1", "u_dim2"}, meta.dims.u)
      cio.save_nc(q, cio.load_nc(p))
      local vars2, meta2 = cio.load_nc(q)
      assert.are.same(meta, meta2)
      assert.is_true(same(vars.u, vars2.u))
    end)

    it("is readable by ncdump", function()
      if not os.execute("command -v ncdump >/dev/null 2>&1") then
        pending("ncdump not installed (netcdf-bin)")
        return
      end
      local p = dir .. "/d.nc"
      cio.save_nc(p, {u = u}, {dims = {u = {"time", "neuron"}},
                               attrs = {global = {title = "t"}, u = {units = "a.u."}}})
      local h = io.popen("ncdump -h '" .. p .. "'")
      local out = h:read("a")
      h:close()
      assert.truthy(out:find("float u(time, neuron) ;", 1, true))
      assert.truthy(out:find('u:units = "a.u." ;', 1, true))
      assert.truthy(out:find(':title = "t" ;', 1, true))
    end)

    it("checks its arguments and leaves no file on failure", function()
      local p = dir .. "/x.nc"
      local fails = testutil.fails_with
      fails("save_nc: argument 2 (vars) must be a table of name = array, got nil", cio.save_nc, p)
      fails("save_nc: argument 2 (vars.u) must be an array, got 'a'", cio.save_nc, p, {u = "a"})
      fails("save_nc: argument 3 (opts.dims.u) must name 2 dimensions, one per axis of the array, got 1 name",
            cio.save_nc, p, {u = u}, {dims = {u = {"t"}}})
      fails("save_nc: argument 3 (opts.dims.u) element 2 must be a non-empty string, got 5",
            cio.save_nc, p, {u = u}, {dims = {u = {"t", 5}}})
      fails("save_nc: argument 3 (opts.dims) names variable 'v', which is not in argument 2 (vars)",
            cio.save_nc, p, {u = u}, {dims = {v = {"a"}}})
      fails("save_nc: argument 3 (opts.attrs.u.k) must be a string, a number, a table of numbers or a 1-d array, got true",
            cio.save_nc, p, {u = u}, {attrs = {u = {k = true}}})
      fails("element 2 is 'x'", cio.save_nc, p, {u = u}, {attrs = {u = {k = {1, "x"}}}})
      fails("must be a 0-d or 1-d numeric (not bool) array", cio.save_nc, p, {u = u},
            {attrs = {u = {k = u}}})
      fails("save_nc: argument 3 (opts.attrs.w) names no variable", cio.save_nc, p, {u = u},
            {attrs = {w = {k = 1}}})
      fails("save_nc: dimension 'n' has length 3 in variable 'u' but 4 in variable 'v'",
            cio.save_nc, p, {u = u, v = mask}, {dims = {u = {"t", "n"}, v = {"n"}}})
      fails("save_nc: option 'deflate' is too large: must be at most 9, got 12",
            cio.save_nc, p, {u = u}, {deflate = 12})
      fails("save_nc: unknown option 'dim'", cio.save_nc, p, {u = u}, {dim = {}})
      fails("save_nc: argument 3 (opts.order) element 1 must name a variable",
            cio.save_nc, p, {u = u}, {order = {"zz"}})
      fails("Name contains illegal characters", cio.save_nc, p, {["a/b"] = u})
      fails("load_nc: cannot open", cio.load_nc, dir .. "/missing.nc")
      fails("is not a readable netCDF file", cio.load_nc, testutil.fixture("io/f4.npy"))
      assert.are.same({}, files_in_dir())
    end)

    -- Files that crash netCDF-C's nc_open (out of memory, segfault, huge
    -- allocation, division by zero) are refused by the header checks.
    it("refuses corrupt classic headers with an error naming file and field", function()
      for file, field in pairs({
        ["oom-13-bytes.nc"] = "dimension count",
        ["segv-150-bytes.nc"] = "dimension count",
        ["huge-alloc-118-bytes.nc"] = "variable attribute count",
        ["fpe-516-bytes.nc"] = "dimension length",
      }) do
        local p = testutil.fixture("corrupt-netcdf/" .. file)
        local ok, err = pcall(cio.load_nc, p)
        assert.is_false(ok)
        assert.truthy(err:find("load_nc: '" .. p .. "' is not a readable netCDF file: corrupt CDF-",
                               1, true), err)
        assert.truthy(err:find(field, 1, true), err)
      end
    end)
  end)
end)
