--- Combining the points of a sweep: `Sweep:results()` and `results.nc`.
--
-- Every result is stored as float64.  On a grid a scalar result becomes
-- an array of the grid's shape (one axis per parameter, in sorted name
-- order) and an array result adds its own axes after them; other designs
-- use one axis `point`.  Points not finished (pending, failed) hold NaN;
-- `status` says which (0 pending or running, 1 done, 2 failed).
-- @module canns.pipeline.results

local core = require "canns.core"
local cio = require "canns.io"

local NAN = 0 / 0

local function prod(s)
  local n = 1
  for _, v in ipairs(s) do n = n * v end
  return n
end

local function same_shape(a, b)
  if #a ~= #b then return false end
  for i = 1, #a do if a[i] ~= b[i] then return false end end
  return true
end

-- A coordinate array for one parameter's values (strings become codes
-- 1..k with a `labels` attribute).
local function coordinate(values)
  local numeric = true
  for _, v in ipairs(values) do if type(v) ~= "number" then numeric = false end end
  if numeric then return core.array(values, "float64"), nil end
  local labels, code, codes = {}, {}, {}
  for _, v in ipairs(values) do
    local s = tostring(v)
    if not code[s] then labels[#labels + 1] = s; code[s] = #labels end
  end
  for i, v in ipairs(values) do codes[i] = code[tostring(v)] end
  return core.array(codes, "int32"), table.concat(labels, ",")
end

return function(Sweep)
  --- Combine every finished point into arrays, write `<out>/results.nc`
  -- (atomically) and return them.
  -- @treturn table `{status = array, errors = {[index] = message},
  --   dims = {name = {dim, ...}}, path = file, <parameter> = coordinates,
  --   <result> = array}`
  function Sweep:results()
    local design = self.design
    local n = #design.points
    local rows = self:status()
    local grid = design.kind == "grid"
    local base_shape, base_dims = {}, {}
    if grid then
      for d, name in ipairs(design.names) do base_shape[d], base_dims[d] = design.shape[d], name end
    else
      base_shape, base_dims = {n}, {"point"}
    end
    local ds = {errors = {}, dims = {}, warnings = {}}
    local status = {}
    local vars, order = {}, {}
    for i = 1, n do
      local r = rows[i]
      status[i] = r.status == "done" and 1 or (r.status == "failed" and 2 or 0)
      if r.status == "failed" then ds.errors[i] = r.error end
      if r.status == "done" and r.result and r.result ~= "" then
        local ok, vals = true, {}
        if r.result:find("=array", 1, true) then
          ok, vals = pcall(cio.load_npz, ("%s/points/%d.npz"):format(self.out, i))
        end
        if ok then
          for name, x in pairs(r.values or {}) do vals[name] = core.full({}, x, "float64") end
        end
        if not ok then
          status[i] = 0
          ds.warnings[#ds.warnings + 1] = ("point %d: %s"):format(i, tostring(vals))
        else
          for name, a in pairs(vals) do
            local v = vars[name]
            if not v then
              v = {shape = a:shape(), data = {}}
              vars[name] = v
              order[#order + 1] = name
            end
            if same_shape(v.shape, a:shape()) then
              v.data[i] = a:astype("float64"):flatten():totable()
            else
              ds.warnings[#ds.warnings + 1] = ("point %d: '%s' has another shape than at the first "
                                               .. "point that returned it; left out"):format(i, name)
            end
          end
        end
      end
    end
    table.sort(order)
    local attrs = {global = {sweep = self.name, design = design.kind, seed = self.seed,
                             points = n, canns_version = core.version,
                             parameters = table.concat(design.names, ",")}}
    local ncvars, dims, ncorder = {}, {}, {}
    local st = core.array(status, "int32")
    if #base_shape > 1 then st = st:reshape(base_shape) end
    ds.status, ncvars.status, dims.status = st, st, base_dims
    attrs.status = {flag_values = {0, 1, 2}, flag_meanings = "pending done failed"}
    -- coordinates
    for d, name in ipairs(design.names) do
      local values = {}
      if grid then
        values = design.values[name]
      else
        for i = 1, n do values[i] = design.points[i][name] end
      end
      local c, labels = coordinate(values)
      ds[name], ncvars[name] = c, c
      dims[name] = grid and {name} or {"point"}
      if labels then attrs[name] = {labels = labels} end
      ncorder[#ncorder + 1] = name
    end
    ncorder[#ncorder + 1] = "status"
    for _, name in ipairs(order) do
      local v = vars[name]
      local vsize = prod(v.shape)
      local flat = {}
      for i = 1, n do
        local src, off = v.data[i], (i - 1) * vsize
        if src then
          for k = 1, vsize do flat[off + k] = src[k] end
        else
          for k = 1, vsize do flat[off + k] = NAN end
        end
      end
      local shape, vd = {}, {}
      for d = 1, #base_shape do shape[d], vd[d] = base_shape[d], base_dims[d] end
      for d = 1, #v.shape do
        shape[#shape + 1] = v.shape[d]
        vd[#vd + 1] = ("%s_dim%d"):format(name, d)
      end
      local a = core.array(flat, "float64")
      if #shape ~= 1 then a = a:reshape(shape) end
      if n * vsize == 0 then a = core.zeros(shape, "float64") end
      ds[name], ncvars[name], dims[name] = a, a, vd
      if not grid then attrs[name] = {coordinates = table.concat(design.names, " ")} end
      ncorder[#ncorder + 1] = name
    end
    ds.dims = dims
    ds.path = self.out .. "/results.nc"
    if (os.getenv("CANNS_SWEEP_WORKER") or "") == "" then
      cio.save_nc(ds.path, ncvars, {dims = dims, attrs = attrs, order = ncorder})
    end
    return ds
  end

  --- Errors of the failed points: `{[index] = message}`.
  function Sweep:errors()
    local e = {}
    for i, r in ipairs(self:status()) do
      if r.status == "failed" then e[i] = r.error end
    end
    return e
  end
end
