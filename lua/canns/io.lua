--- Array files: NPY, NPZ (numpy) and netCDF-4.
--
--     local cio = require "canns.io"      -- also canns.io
--     cio.save_npy("u.npy", u)
--     local u2 = cio.load_npy("u.npy")
--     cio.save_npz("run.npz", {u = u, x = x})
--     local t = cio.load_npz("run.npz")   -- t.u, t.x
--     cio.save_nc("run.nc", {u = u, x = x}, {
--       dims = {u = {"time", "neuron"}, x = {"neuron"}},
--       attrs = {global = {title = "run 1"}, u = {units = "a.u."}},
--     })
--     local vars, meta = cio.load_nc("run.nc")   -- vars.u, meta.dims.u
--
-- Files are written atomically (a temporary name, then a rename); readers
-- check every size against the file before allocating, so a corrupt file is
-- an error, never a crash.  Element types: float32, float64, int32, int64
-- (little-endian) and bool.  See docs/io.md for formats and limits.
-- @module canns.io

local core = require "canns.core"

local M = {}

--- Write one array to a `.npy` file (numpy format 1.0; `numpy.load`
-- reads it).
-- @string path file name
-- @tparam array a the array
-- @function save_npy
M.save_npy = core.save_npy

--- Read a `.npy` file (format 1.0, 2.0 or 3.0; dtypes `<f4 <f8 <i4 <i8
-- |b1`, C order).  Big-endian, Fortran-order, object and other dtypes are
-- refused with an error naming what was found.
-- @string path file name
-- @treturn array
-- @function load_npy
M.load_npy = core.load_npy

--- Write several named arrays to a `.npz` archive (members `<name>.npy`,
-- as `numpy.savez` / `numpy.savez_compressed` write them).  Members are
-- written in sorted name order.
-- @string path file name
-- @tparam table arrays `{name = array, ...}`
-- @tparam[opt] table opts `{compress = true}`: deflate the members (default),
--   or store them uncompressed with `compress = false`
-- @function save_npz
M.save_npz = core.save_npz

--- Read every member of a `.npz` archive.
-- @string path file name
-- @treturn table `{name = array, ...}`
-- @function load_npz
M.load_npz = core.load_npz

--- Write named arrays to a netCDF-4 file (readable by ncdump, xarray, ...).
-- Variables are written in sorted name order unless `opts.order` says
-- otherwise.  A dimension without a name
-- in `opts.dims` is called `<variable>_dim<k>` (k from 1); a dimension name
-- shared by several variables must have the same length in all of them.
-- bool arrays are stored as bytes with attribute `dtype = "bool"` (the
-- xarray convention) and read back as bool.
-- @string path file name
-- @tparam table vars `{name = array, ...}`
-- @tparam[opt] table opts
--   `dims = {name = {"dim1", ...}}`,
--   `attrs = {global = {key = value}, name = {key = value}}` where a value
--   is a string, a number, a table of numbers or a 1-d numeric array
--   (`attrs.global` always means the file's own attributes),
--   `deflate = 0` zlib level 0..9 (0: no compression),
--   `order = {"name", ...}` variables written first, in this order (the
--   rest follow in sorted order; `load_nc`'s `meta.order` keeps a file's).
-- @function save_nc
M.save_nc = core.save_nc

--- Read every variable of a netCDF file (netCDF-4 or classic), with its
-- dimension names and attributes.  Values are raw: no CF decoding
-- (`_FillValue`, `scale_factor`) is applied.
-- @string path file name
-- @treturn table `{name = array, ...}`, indexable by variable name
-- @treturn table meta `{dims = {name = {dim names}}, attrs = {global =
--   {...}, name = {...}}, order = {variable names in file order}}`; the
--   same layout as the options of `save_nc`, so
--   `save_nc(p2, load_nc(p))` copies a file
-- @function load_nc
M.load_nc = core.load_nc

return M
