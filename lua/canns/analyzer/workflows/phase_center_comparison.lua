--- Comparing CohoSpace phase centres of matched neurons across two data
-- sets (upstream `canns.analyzer.workflows.phase_center_comparison`).
-- @module canns.analyzer.workflows.phase_center_comparison

local A = require "canns.argcheck"
local core = require "canns.core"

local M = {}

local TWO_PI = 2 * math.pi
local E1 = {TWO_PI, 0.0}
local E2 = {math.pi, math.sqrt(3) * math.pi}

-- the shortest of end - start + i e1 + j e2 (i, j in -1..1), in upstream's order
local function min_image(sx, sy, ex, ey)
  local dx, dy = ex - sx, ey - sy
  local bx, by, bn
  for i = -1, 1 do
    for j = -1, 1 do
      local cx, cy = dx + i * E1[1] + j * E2[1], dy + i * E1[2] + j * E2[2]
      local n = math.sqrt(cx * cx + cy * cy)
      if not bn or n < bn then bx, by, bn = cx, cy, n end
    end
  end
  return bx, by, bn
end

local function rows2(v, F, arg, name)
  local a = A.array(v, F, arg, name, {convert = true, ndim = 2, finite = true})
  if a:shape(2) < 2 then A.fail(F, arg, name, "must be an (n, 2) matrix, got %s", A.describe(a)) end
  return a:astype("float64"):totable()
end

--- The comparison figure (upstream `plot_phase_center_comparison`): the
-- base parallelogram, a grey line from each A centre to the nearest
-- lattice image of its B centre, black A and red B points (size 16),
-- equal aspect, no ticks, limits the parallelogram padded 3 %, a legend.
-- @param phase_centers_a_skew (n, 2) skew coordinates
-- @param phase_centers_b_skew (n, 2)
-- @tparam[opt] table opts `label_a` ("A"), `label_b` ("B"), `title`, `color_a`
--   ("black"), `color_b` ("red"), `line_color` ("0.65"), `s` (16), `line_width`
--   (0.8), `alpha_points` (0.9), `alpha_lines` (0.8), `figsize` ({6, 6}),
--   `save_path` (written at 200 dpi), `show` (false)
-- @return the figure
function M.plot_phase_center_comparison(phase_centers_a_skew, phase_centers_b_skew, opts)
  local F = "plot_phase_center_comparison"
  opts = A.options(opts, F, {"label_a", "label_b", "title", "color_a", "color_b", "line_color", "s", "line_width",
                             "alpha_points", "alpha_lines", "figsize", "save_path", "show"})
  local a = rows2(phase_centers_a_skew, F, 1, "phase_centers_a_skew")
  local b = rows2(phase_centers_b_skew, F, 2, "phase_centers_b_skew")
  local o = {label_a = "A", label_b = "B", title = "CohoSpace phase-center comparison", color_a = "black",
             color_b = "red", line_color = "0.65", s = 16, line_width = 0.8, alpha_points = 0.9,
             alpha_lines = 0.8, figsize = {6, 6}, show = false}
  for k, v in pairs(opts) do o[k] = v end
  local fig = core.plot_figure{figsize = o.figsize}
  local ax = fig:subplot(1, 1, 1)
  require("canns.analyzer.data.asa.path").draw_base_parallelogram(ax)
  for i = 1, math.min(#a, #b) do
    local dx, dy = min_image(a[i][1], a[i][2], b[i][1], b[i][2])
    ax:plot({a[i][1], a[i][1] + dx}, {a[i][2], a[i][2] + dy},
            {color = o.line_color, linewidth = o.line_width, alpha = o.alpha_lines, zorder = 1})
  end
  local function col(t, c) local r = {} for i, p in ipairs(t) do r[i] = p[c] end return r end
  ax:scatter(col(a, 1), col(a, 2), {s = o.s, color = o.color_a, alpha = o.alpha_points, label = o.label_a, zorder = 2})
  ax:scatter(col(b, 1), col(b, 2), {s = o.s, color = o.color_b, alpha = o.alpha_points, label = o.label_b, zorder = 3})
  local s3 = math.sqrt(3) * math.pi
  local padx, pady = 0.03 * 3 * math.pi, 0.03 * s3
  ax:set_xlim(-padx, 3 * math.pi + padx)
  ax:set_ylim(-pady, s3 + pady)
  ax:set_aspect("equal")
  ax:set_xticks({})
  ax:set_yticks({})
  ax:set_title(o.title)
  ax:legend{loc = "upper right"}
  if o.save_path then
    A.string(o.save_path, F, "save_path")
    local dir = o.save_path:match("^(.*)/[^/]*$")
    if dir and dir ~= "" then core.mkdir(dir) end
    fig:savefig(o.save_path, {dpi = 200, bbox_inches = "tight"})
  end
  if o.show then require("canns.analyzer.visualization.render").show_file(o.save_path, F) end
  return fig
end

local function load_like(v, F, arg, name)
  if type(v) == "string" then
    local ok, z = pcall(require("canns.io").load_npz, v)
    if not ok then A.fail(F, arg, name, "cannot be read: %s", tostring(z)) end
    if z.times_box then z.times_box = z.times_box + 1 end -- upstream's npz: 0-based rows
    if z.times then z.times = z.times + 1 end
    return z
  end
  if core.isarray(v) then return v end
  return A.table(v, F, arg, name)
end

local function ids_of(v, n, F, name)
  if v == nil then
    local t = {}
    for i = 1, n do t[i] = i end
    return t
  end
  local t = A.sequence(v, F, name)
  if #t ~= n then A.fail(F, name, nil, "must be 1-D with length %d, got %d", n, #t) end
  local seen = {}
  for _, id in ipairs(t) do
    if seen[id] then A.fail(F, name, nil, "contains duplicate cell ids (%s)", tostring(id)) end
    seen[id] = true
  end
  return t
end

--- Compare matched neurons' phase centres (upstream
-- `compare_phase_centers_workflow`): CohoSpace maps and phase centres of
-- both data sets (`bins`, `smooth_sigma`), neurons matched by position
-- (equal counts) or by `cell_ids_a` / `cell_ids_b` (both, no duplicates,
-- a non-empty intersection, in A's order), the shortest displacement on
-- the skewed torus lattice, its norms, their mean and median, the figure
-- (`save_plot_path`) and optionally the results as an `.npz`
-- (`save_npz_path`).
-- @param decoding_a a decode result (or its .npz)
-- @param spikes_a a table with `spike_key` (T, N), an activity array or an .npz
-- @param decoding_b
-- @param spikes_b
-- @tparam[opt] table opts `cell_ids_a`, `cell_ids_b`, `spike_key` ("spike"),
--   `coords_key_a`, `coords_key_b`, `bins` (51), `smooth_sigma` (0), `label_a`,
--   `label_b`, `title`, `save_plot_path`, `save_npz_path`, `show` (false)
-- @treturn table `cell_ids`, `indices_a`, `indices_b` (1-based), the centres
--   and their skew coordinates, `displacement_skew`, `displacement_norm`,
--   `mean_displacement_norm`, `median_displacement_norm`, ...
function M.compare_phase_centers_workflow(decoding_a, spikes_a, decoding_b, spikes_b, opts)
  local F = "compare_phase_centers_workflow"
  opts = A.options(opts, F, {"cell_ids_a", "cell_ids_b", "spike_key", "coords_key_a", "coords_key_b", "bins",
                             "smooth_sigma", "label_a", "label_b", "title", "save_plot_path", "save_npz_path",
                             "show"})
  local asa = require "canns.analyzer.data.asa"
  local key = A.string(opts.spike_key, F, "spike_key", nil, {default = "spike"})
  local bins = A.int(opts.bins, F, "bins", nil, {default = 51, min = 2, max = 10000})
  local sigma = A.number(opts.smooth_sigma, F, "smooth_sigma", nil, {default = 0, min = 0})
  local function build(dec, spk, ck, argd, args, named, names)
    local d = load_like(dec, F, argd, named)
    local s = load_like(spk, F, args, names)
    local S = s
    if not core.isarray(s) then
      if s[key] == nil then A.fail(F, args, names, "has no '%s' entry (spike_key)", key) end
      S = s[key]
    end
    S = A.array(S, F, args, names, {convert = true, ndim = 2})
    local cs = asa.cohospace(d, S, {coords_key = ck, bins = bins, smooth_sigma = sigma})
    local pc = asa.cohospace_phase_centers(cs)
    return cs, pc.centers:totable(), pc.centers_skew:totable()
  end
  local csa, ca, ka = build(decoding_a, spikes_a, opts.coords_key_a, 1, 2, "decoding_a", "spikes_a")
  local csb, cb, kb = build(decoding_b, spikes_b, opts.coords_key_b, 3, 4, "decoding_b", "spikes_b")
  local ida, idb = ids_of(opts.cell_ids_a, #ca, F, "cell_ids_a"), ids_of(opts.cell_ids_b, #cb, F, "cell_ids_b")
  local common, ia, ib = {}, {}, {}
  if opts.cell_ids_a == nil and opts.cell_ids_b == nil then
    if #ca ~= #cb then
      A.error(F, "the data sets have different neuron counts (%d and %d): give cell_ids_a and cell_ids_b", #ca, #cb)
    end
    for i = 1, #ca do common[i], ia[i], ib[i] = ida[i], i, i end
  elseif opts.cell_ids_a ~= nil and opts.cell_ids_b ~= nil then
    local where = {}
    for j, id in ipairs(idb) do where[id] = j end
    for i, id in ipairs(ida) do
      if where[id] then common[#common + 1], ia[#ia + 1], ib[#ib + 1] = id, i, where[id] end
    end
    if #common == 0 then A.error(F, "no cell id is in both cell_ids_a and cell_ids_b") end
  else
    A.error(F, "give both cell_ids_a and cell_ids_b, or neither")
  end
  local PA, PB, SA, SB, D, N = {}, {}, {}, {}, {}, {}
  for k = 1, #ia do
    PA[k], PB[k], SA[k], SB[k] = ca[ia[k]], cb[ib[k]], ka[ia[k]], kb[ib[k]]
    local dx, dy, n = min_image(SA[k][1], SA[k][2], SB[k][1], SB[k][2])
    D[k], N[k] = {dx, dy}, n
  end
  local sorted = {}
  for k, v in ipairs(N) do sorted[k] = v end
  table.sort(sorted)
  local m = #sorted
  local median = m % 2 == 1 and sorted[(m + 1) // 2] or (sorted[m // 2] + sorted[m // 2 + 1]) / 2
  local mean = 0
  for _, v in ipairs(N) do mean = mean + v / m end
  local arr = function(t) return core.array(t, "float64") end
  M.plot_phase_center_comparison(arr(SA), arr(SB), {label_a = opts.label_a, label_b = opts.label_b,
                                 title = opts.title, save_path = opts.save_plot_path, show = opts.show})
  local numeric = true
  for _, id in ipairs(common) do if type(id) ~= "number" then numeric = false end end
  local result = {
    cell_ids = numeric and core.array(common, "float64") or common,
    indices_a = core.array(ia, "int64"), indices_b = core.array(ib, "int64"),
    phase_centers_a = arr(PA), phase_centers_b = arr(PB), phase_centers_a_skew = arr(SA),
    phase_centers_b_skew = arr(SB), displacement_skew = arr(D), displacement_norm = arr(N),
    mean_displacement_norm = mean, median_displacement_norm = median, bins = bins, smooth_sigma = sigma,
    label_a = opts.label_a or "A", label_b = opts.label_b or "B", cohospace_a = csa, cohospace_b = csb,
  }
  if opts.save_npz_path then
    local p = A.string(opts.save_npz_path, F, "save_npz_path")
    local dir = p:match("^(.*)/[^/]*$")
    if dir and dir ~= "" then core.mkdir(dir) end
    local z = {}
    for k, v in pairs(result) do if core.isarray(v) then z[k] = v end end
    z.mean_displacement_norm = core.array({mean}, "float64")
    z.median_displacement_norm = core.array({median}, "float64")
    require("canns.io").save_npz(p, z)
  end
  return result
end

return M
