--- Numeric text tables (what upstream reads with `numpy.loadtxt`): the
-- ROI traces of `roi_data`, `.txt` / `.dat` / `.csv` files of `load`.
--
-- One row per line; values separated by white space (and, with
-- `delimiter = ","`, by commas); `#` starts a comment; blank lines are
-- skipped.  Every row must have the same number of values.  The result is
-- a float64 array shaped as numpy's `loadtxt` shapes it: a single row or a
-- single column gives a 1-D array, one value a 0-d array, otherwise
-- `(rows, columns)`.
-- @module canns.data.text

local core = require "canns.core"
local A = require "canns.argcheck"

local M = {}

--- Read a whole file as a string.
-- @string path
-- @string fname the calling function (for the error message)
-- @treturn string
function M.read_all(path, fname)
  local f, err = io.open(path, "rb")
  if not f then A.error(fname, "cannot open '%s': %s", path, tostring(err)) end
  local s = f:read("a")
  f:close()
  if not s then A.error(fname, "cannot read '%s'", path) end
  return s
end

--- Parse numeric text into an array.
-- @string text the file's contents
-- @tparam[opt] table opts `delimiter` (nil: white space; "," also splits at
--   commas), `source` (a name for messages)
-- @treturn[1] array float64, shaped as `numpy.loadtxt` shapes it
-- @return[2] nil
-- @treturn[2] string why the text is not a numeric table (line and token)
function M.parse(text, opts)
  opts = opts or {}
  local comma = opts.delimiter == ","
  local values, ncols, nrows = {}, nil, 0
  local lineno = 0
  for line in (text .. "\n"):gmatch("([^\n]*)\n") do
    lineno = lineno + 1
    line = line:gsub("#.*$", "")
    if comma then line = line:gsub(",", " ") end
    local n = 0
    for tok in line:gmatch("%S+") do
      local v = tonumber(tok)
      if v == nil then
        local low = tok:lower()
        if low == "nan" or low == "+nan" or low == "-nan" then v = 0 / 0
        elseif low == "inf" or low == "+inf" or low == "infinity" then v = math.huge
        elseif low == "-inf" or low == "-infinity" then v = -math.huge end
      end
      if v == nil or tok:match("^0[xX]") then
        return nil, ("line %d: '%s' is not a number"):format(lineno, tok)
      end
      n = n + 1
      values[#values + 1] = v + 0.0
    end
    if n > 0 then
      if ncols and n ~= ncols then
        return nil, ("line %d has %d values, the lines before it %d"):format(lineno, n, ncols)
      end
      ncols, nrows = n, nrows + 1
    end
  end
  if nrows == 0 then return core.zeros(0, "float64") end
  local a = core.array(values, "float64")
  if nrows == 1 and ncols == 1 then return a:reshape({}) end
  if nrows == 1 or ncols == 1 then return a end
  return a:reshape({nrows, ncols})
end

--- Read a numeric text file (`numpy.loadtxt` of a path).
-- @string path
-- @string fname the calling function (for error messages)
-- @tparam[opt] table opts as for `parse`
-- @treturn array
function M.loadtxt(path, fname, opts)
  local a, why = M.parse(M.read_all(path, fname), opts)
  if not a then A.error(fname, "'%s' is not a numeric text table: %s", path, why) end
  return a
end

return M
