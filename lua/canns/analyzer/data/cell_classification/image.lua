--- Image primitives of cell classification (upstream
-- `canns.analyzer.data.cell_classification.utils` correlation and image
-- processing): the autocorrelogram, normalised cross-correlation and
-- rotation, computed in C through FFTW (include/canns/image.h).
-- @module canns.analyzer.data.cell_classification.image
local core = require "canns.core"
local A = require "canns.argcheck"
local kw = require "canns.analyzer.data.cell_classification.kwargs"
local C = core.image

local M = {}

local function map2d(v, fname, arg, name)
  return kw.array(v, fname, arg, name, {ndim = 2, min_size = 1})
end

--- Autocorrelogram of a rate map (upstream `compute_2d_autocorrelation`).
--
-- NaN is treated as 0; the demeaned map's full linear autocorrelation is
-- cropped to the centred window of `round(n (1 + overlap))` bins per axis
-- (made odd) and divided by its value at zero lag, so the centre is 1.
-- An all-zero map gives zeros.  It is the lag product normalised at zero
-- lag, not a per-lag Pearson correlation.
-- @param rate_map 2-D array (rows = y)
-- @param[opt] ... `overlap` (0.8), by position or as `{overlap = ...}`
-- @treturn canns.array float64 autocorrelogram (35x35 -> 63x63, 50x50 -> 89x89)
function M.compute_2d_autocorrelation(rate_map, ...)
  local fn = "compute_2d_autocorrelation"
  local o = kw.parse(fn, 2, {"overlap"}, {overlap = 0.8}, ...)
  rate_map = map2d(rate_map, fn, 1, "rate_map")
  local ov = A.number(o.overlap, fn, "overlap", nil, {min = 0, max = 1000})
  return C.autocorr2d(rate_map, ov)
end

--- Autocorrelograms of a stack of maps `{n, h, w}` in one C call (OpenMP
-- over maps); the same numbers as `compute_2d_autocorrelation` per map.
-- @param rate_maps 3-D array
-- @param[opt] ... `overlap` (0.8)
-- @treturn canns.array `{n, oh, ow}`
function M.compute_2d_autocorrelations(rate_maps, ...)
  local fn = "compute_2d_autocorrelations"
  local o = kw.parse(fn, 2, {"overlap"}, {overlap = 0.8}, ...)
  rate_maps = kw.array(rate_maps, fn, 1, "rate_maps", {ndim = 3, min_size = 1})
  local ov = A.number(o.overlap, fn, "overlap", nil, {min = 0, max = 1000})
  return C.autocorr2d_batch(rate_maps, ov)
end

--- Upstream `autocorrelation_2d(array, overlap=0.8, normalize=True)`:
-- the autocorrelogram, optionally without the zero-lag normalisation.
-- @param array 2-D array
-- @param[opt] ... `overlap` (0.8), `normalize` (true)
-- @treturn canns.array
function M.autocorrelation_2d(array, ...)
  local fn = "autocorrelation_2d"
  local o = kw.parse(fn, 2, {"overlap", "normalize"}, {overlap = 0.8, normalize = true}, ...)
  array = map2d(array, fn, 1, "array")
  local ov = A.number(o.overlap, fn, "overlap", nil, {min = 0, max = 1000})
  local norm = A.boolean(o.normalize, fn, "normalize")
  if norm then return C.autocorr2d(array, ov) end
  -- raw (unnormalised) lag products: undo the division by the centre
  local a = core.array(array, "float64")
  a = core.where(core.isnan(a), 0, a)
  local ac = C.autocorr2d(a, ov)
  local m = core.mean(a)
  local s = core.sum(core.square(a - m))
  return ac * s
end

--- Normalised 2-D cross-correlation (upstream `normalized_xcorr2`).
--
-- `mode` "full" subtracts `n_t mean_t mean_i` from the raw correlation and
-- divides by `n_t std_t std_i`; "same" (default) and "valid" divide the raw
-- correlation by the two L2 norms.  Clipped to [-1, 1].  The raw
-- correlation is `scipy.signal.correlate(image, template, mode)`.
-- @param template 2-D array (must not be constant)
-- @param image 2-D array
-- @param[opt] ... `mode` ("same"), `min_overlap` (0; accepted and unused,
--   as upstream)
-- @treturn canns.array
function M.normalized_xcorr2(template, image, ...)
  local fn = "normalized_xcorr2"
  local o = kw.parse(fn, 3, {"mode", "min_overlap"}, {mode = "same", min_overlap = 0}, ...)
  template = map2d(template, fn, 1, "template")
  image = map2d(image, fn, 2, "image")
  local mode = A.string(o.mode, fn, "mode", nil, {choices = {"full", "same", "valid"}})
  A.int(o.min_overlap, fn, "min_overlap", nil, {min = 0})
  return C.normalized_xcorr2(template, image, mode)
end

--- Rotate an image counter-clockwise about its centre (upstream
-- `rotate_image`, i.e. `scipy.ndimage.rotate` with zero outside).
--
-- Bilinear (or nearest) sampling; a sample that falls outside the input
-- is 0, with no blending at the border.  Without `output_shape` the output
-- is enlarged to hold the whole rotated input; with it the rotation keeps
-- the input's shape and is then cropped or zero-padded about the centre.
-- @param image 2-D array
-- @number angle degrees
-- @param[opt] ... `output_shape` ({rows, cols}), `method` ("bilinear" or
--   "nearest"), `preserve_range` (true; accepted, no effect for these
--   methods)
-- @treturn canns.array float64
function M.rotate_image(image, angle, ...)
  local fn = "rotate_image"
  local o = kw.parse(fn, 3, {"output_shape", "method", "preserve_range"},
                     {method = "bilinear", preserve_range = true}, ...)
  image = map2d(image, fn, 1, "image")
  angle = A.number(angle, fn, 2, "angle")
  local method = A.string(o.method, fn, "method", nil, {choices = {"bilinear", "nearest"}})
  A.boolean(o.preserve_range, fn, "preserve_range")
  local shp = o.output_shape
  if shp == nil then return C.rotate(image, angle, nil, nil, method) end
  if core.isarray(shp) then shp = shp:totable() end
  if type(shp) ~= "table" or #shp ~= 2 then
    A.fail(fn, "output_shape", nil, "must be a pair {rows, cols}, got %s", A.describe(o.output_shape))
  end
  local oh = A.int(shp[1], fn, "output_shape", nil, {min = 1, max = 1048576})
  local ow = A.int(shp[2], fn, "output_shape", nil, {min = 1, max = 1048576})
  return C.rotate(image, angle, oh, ow, method)
end

-- ------------------------------------------------------------ regions
local function mask2d(v, fname, arg, name)
  return kw.array(v, fname, arg, name, {ndim = 2, min_size = 1})
end

--- Connected components of the non-zero pixels (upstream
-- `label_connected_components(binary_image, connectivity=2)`):
-- connectivity 2 = 8-neighbour, 1 = 4-neighbour; labels 1..K in raster
-- order of each component's first pixel, 0 = background.
-- @param binary_image 2-D array (non-zero = foreground)
-- @param[opt] ... `connectivity` (2)
-- @return int32 label array, K
function M.label_connected_components(binary_image, ...)
  local fn = "label_connected_components"
  local o = kw.parse(fn, 2, {"connectivity"}, {connectivity = 2}, ...)
  binary_image = mask2d(binary_image, fn, 1, "binary_image")
  local c = A.int(o.connectivity, fn, "connectivity", nil, {min = 1, max = 2})
  return core.cellc.label(binary_image, c)
end

--- Region properties of a labelled image (upstream `regionprops`): a list
-- with one table per label 1..K: `label`, `area` (pixels), `centroid`
-- ({row, col}, 1-based), and with an intensity image `max_intensity`,
-- `min_intensity`, `mean_intensity`.
-- @param labeled_image 2-D integer labels (0 = background)
-- @param[opt] ... `intensity_image`
-- @treturn {table,...}
function M.regionprops(labeled_image, ...)
  local fn = "regionprops"
  local o = kw.parse(fn, 2, {"intensity_image"}, {}, ...)
  labeled_image = mask2d(labeled_image, fn, 1, "labeled_image")
  local img = o.intensity_image and mask2d(o.intensity_image, fn, "intensity_image") or nil
  local area, cen, inten = core.cellc.region_stats(labeled_image, img)
  local out = {}
  for k = 1, area:size() do
    if area[k] > 0 then
      local p = {label = k, area = area[k], centroid = {cen[{k, 1}], cen[{k, 2}]}}
      if inten then
        p.max_intensity, p.min_intensity, p.mean_intensity = inten[{k, 1}], inten[{k, 2}], inten[{k, 3}]
      end
      out[#out + 1] = p
    end
  end
  return out
end

--- Regional maxima (upstream `find_regional_maxima`, skimage
-- `local_maxima`): plateaus whose every neighbour outside is strictly
-- lower (connectivity 1 = 4-neighbour, 2 = 8-neighbour; border plateaus
-- count; a plateau at the image minimum never does).
-- @param image 2-D array
-- @param[opt] ... `connectivity` (1), `allow_diagonal` (false: true means 2)
-- @treturn canns.array bool
function M.find_regional_maxima(image, ...)
  local fn = "find_regional_maxima"
  local o = kw.parse(fn, 2, {"connectivity", "allow_diagonal"}, {connectivity = 1, allow_diagonal = false}, ...)
  image = mask2d(image, fn, 1, "image")
  local c = A.int(o.connectivity, fn, "connectivity", nil, {min = 1, max = 2})
  if A.boolean(o.allow_diagonal, fn, "allow_diagonal") then c = 2 end
  return core.cellc.regional_maxima(image, c)
end

--- Iso-contours at `level` by marching squares (upstream
-- `find_contours_at_level`, skimage `find_contours`): a list of {m, 2}
-- arrays of (row, col) points, 1-based; closed contours repeat their first
-- point.
-- @param image 2-D array (at least 2 x 2, finite)
-- @number level
-- @treturn {canns.array,...}
function M.find_contours_at_level(image, level)
  local fn = "find_contours_at_level"
  image = mask2d(image, fn, 1, "image")
  level = A.number(level, fn, 2, "level")
  return core.cellc.find_contours(image, level)
end

--- Gaussian smoothing (upstream `gaussian_filter_2d`, scipy
-- `gaussian_filter`): separable, radius floor(truncate sigma + 0.5),
-- boundary "reflect" (the only mode built).
-- @param image 2-D array
-- @number sigma (>= 0; a pair {sigma_row, sigma_col} also works)
-- @param[opt] ... `mode` ("reflect"), `truncate` (4.0)
-- @treturn canns.array float64
function M.gaussian_filter_2d(image, sigma, ...)
  local fn = "gaussian_filter_2d"
  local o = kw.parse(fn, 3, {"mode", "truncate"}, {mode = "reflect", truncate = 4.0}, ...)
  image = mask2d(image, fn, 1, "image")
  local sr, sc
  if type(sigma) == "table" and not core.isarray(sigma) then
    sr = A.number(sigma[1], fn, 2, "sigma", {min = 0})
    sc = A.number(sigma[2], fn, 2, "sigma", {min = 0})
  else
    sr = A.number(sigma, fn, 2, "sigma", {min = 0})
    sc = sr
  end
  A.string(o.mode, fn, "mode", nil, {choices = {"reflect"}})
  local tr = A.number(o.truncate, fn, "truncate", nil, {gt = 0})
  return core.cellc.gaussian_filter(image, sr, sc, tr)
end

--- Binary dilation with a square footprint (upstream `dilate_image`
-- with selem_type "square"; "disk" and "diamond" are not built).
-- @param image 2-D array (non-zero = foreground)
-- @param[opt] ... `footprint` (not built: nil), `selem_type` ("square"), `selem_size` (3)
-- @treturn canns.array bool
function M.dilate_image(image, ...)
  local fn = "dilate_image"
  local o = kw.parse(fn, 2, {"footprint", "selem_type", "selem_size"}, {selem_type = "square", selem_size = 3}, ...)
  image = mask2d(image, fn, 1, "image")
  if o.footprint ~= nil then A.fail(fn, "footprint", nil, "is not built (use selem_size), got %s", A.describe(o.footprint)) end
  A.string(o.selem_type, fn, "selem_type", nil, {choices = {"square"}})
  local s = A.int(o.selem_size, fn, "selem_size", nil, {min = 1, max = 4096})
  return core.cellc.dilate(image, s)
end

return M
