--- BTN figures (upstream `plot_btn_distance_matrix`,
-- `plot_btn_autocorr_summary` of
-- `canns.analyzer.data.cell_classification`), drawn on canns' figure
-- layer.
--
--     local r = an:classify_btn(data, {return_intermediates = true})
--     local m = {[0] = "B", [1] = "T", [2] = "N"}
--     cc.plot_btn_distance_matrix{dist = r.intermediates.distance_matrix, labels = r.labels,
--                                 mapping = m, save_path = "out/dist.png", show = false}
--     cc.plot_btn_autocorr_summary{acorr = r.intermediates.acorr, labels = r.labels,
--                                  bin_times = r.intermediates.bin_times, mapping = m,
--                                  save_path = "out/acorr.png", show = false}
-- @module canns.analyzer.data.cell_classification.btn_plots
local core = require "canns.core"
local A = require "canns.argcheck"
local kw = require "canns.analyzer.data.cell_classification.kwargs"

local M = {}

local DEFAULT_COLORS = {B = "#1f77b4", T = "#000000", N = "#2ca02c"}
local TAB10 = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
               "#bcbd22", "#17becf"}

-- "b"/"bursty" -> "B", theta names -> "T", non-bursty names -> "N".
local function canonical(label)
  local l = label:match("^%s*(.-)%s*$"):lower()
  if l == "b" or l == "bursty" then return "B" end
  if l == "t" or l == "theta" or l == "theta-modulated" or l == "theta_modulated" or l == "theta modulated" then
    return "T"
  end
  if l == "n" or l == "nonbursty" or l == "non-bursty" or l == "non_bursty" then return "N" end
  return label
end

local check_mapping = kw.cluster_mapping

local function int_labels(v, fn, n)
  local a = kw.array(v, fn, "labels", nil, {})
  if a:ndim() ~= 1 then A.fail(fn, "labels", nil, "must be 1-D, got %s", A.describe(a)) end
  if n and a:size() ~= n then
    A.fail(fn, "labels", nil, "must have %d elements (one per neuron), got %s", n, A.describe(a))
  end
  local t = a:totable()
  for i, x in ipairs(t) do
    if x ~= x then A.fail(fn, "labels", nil, "must not contain NaN (element %d)", i) end
    t[i] = math.tointeger(x >= 0 and math.floor(x) or math.ceil(x)) -- astype(int)
  end
  return t
end

-- Cluster ids in upstream's order: ascending, or B, T, N first (then by
-- label text) with a mapping.
local function cluster_order(labels, mapping)
  local seen, ids = {}, {}
  for _, l in ipairs(labels) do
    if not seen[l] then seen[l] = true; ids[#ids + 1] = l end
  end
  table.sort(ids)
  if mapping == nil then return ids end
  local rank = {B = 0, T = 1, N = 2}
  local function key(c)
    local lab = canonical(mapping[c] or tostring(c))
    return rank[lab] or 999, lab
  end
  table.sort(ids, function(a, b)
    local ra, la = key(a)
    local rb, lb = key(b)
    if ra ~= rb then return ra < rb end
    if la ~= lb then return la < lb end
    return a < b
  end)
  return ids
end

local function plot_config(o, fn, defaults)
  local vconfig = require "canns.analyzer.visualization.config"
  if o.config ~= nil then
    if not vconfig.is_config(o.config) then
      A.fail(fn, "config", nil, "must be a PlotConfig, got %s", A.describe(o.config))
    end
    return o.config
  end
  local k = {}
  for key, v in pairs(defaults) do k[key] = v end
  for _, key in ipairs({"title", "figsize", "save_path", "show"}) do
    if o[key] ~= nil then k[key] = o[key] end
  end
  return vconfig.PlotConfig.for_static_plot(k)
end

--- The distance matrix with neurons grouped by cluster (upstream
-- `plot_btn_distance_matrix`): afmhot, origin lower, colour bar "Cosine
-- distance", thin white lines between clusters.
-- @tparam table opts `dist` (n x n), `labels` (n cluster ids), `mapping`
--   (id -> name: B, T, N first), `sort_by_label` (true), `title` ("BTN
--   distance matrix"), `cmap` ("afmhot"), `figsize` ({5, 5}), `save_path`,
--   `show` (true), `config`
-- @return fig, ax, order (1-based neuron indices in drawing order)
function M.plot_btn_distance_matrix(opts)
  local fn = "plot_btn_distance_matrix"
  local o = A.options(opts, fn, {"dist", "labels", "mapping", "sort_by_label", "title", "cmap", "figsize",
                                 "save_path", "show", "ax", "config"})
  if o.dist == nil then A.fail(fn, "dist", nil, "is required (the n x n distance matrix)") end
  local dist = kw.array(o.dist, fn, "dist", nil, {ndim = 2})
  local n = dist:shape(1)
  if dist:shape(2) ~= n or n < 1 then A.fail(fn, "dist", nil, "must be a non-empty square matrix, got %s", A.describe(dist)) end
  if o.labels == nil then A.fail(fn, "labels", nil, "is required (one cluster id per neuron)") end
  local labels = int_labels(o.labels, fn, n)
  local mapping = check_mapping(o.mapping, fn)
  local sort = o.sort_by_label == nil and true or A.boolean(o.sort_by_label, fn, "sort_by_label")
  if o.ax ~= nil then A.fail(fn, "ax", nil, "is not supported (the function makes its own figure)") end
  local order, sizes = {}, {}
  if sort then
    for q, c in ipairs(cluster_order(labels, mapping)) do
      sizes[q] = 0
      for i, l in ipairs(labels) do
        if l == c then order[#order + 1] = i; sizes[q] = sizes[q] + 1 end
      end
    end
  else
    for i = 1, n do order[i] = i end
  end
  local D = dist:totable()
  local rows = {}
  for a, i in ipairs(order) do
    local r = {}
    for b, j in ipairs(order) do r[b] = D[i][j] end
    rows[a] = r
  end
  local cfg = plot_config(o, fn, {title = "BTN distance matrix", figsize = {5, 5}, show = true})
  local fig = core.plot_figure{figsize = cfg.figsize}
  local ax = fig:subplot(1, 1, 1)
  local im = ax:imshow(core.array(rows, "float64"), {cmap = o.cmap or "afmhot", origin = "lower",
                                                     interpolation = "nearest"})
  ax:colorbar(im, {label = "Cosine distance"})
  ax:set_title(cfg.title or "")
  ax:set_xlabel("Neuron")
  ax:set_ylabel("Neuron")
  if sort then
    local b = 0
    for q = 1, #sizes - 1 do
      b = b + sizes[q]
      ax:axhline(b - 0.5, {color = "w", linewidth = 0.6, alpha = 0.7})
      ax:axvline(b - 0.5, {color = "w", linewidth = 0.6, alpha = 0.7})
    end
  end
  require("canns.analyzer.visualization.render").finalize(fig, cfg, fn)
  return fig, ax, order
end

local function normalize_rows(X, mode, fn)
  if mode == nil or mode == "none" then return X end
  if mode ~= "probability" and mode ~= "peak" and mode ~= "first" then
    A.fail(fn, "normalize", nil, "must be 'probability', 'peak', 'first' or 'none', got %s", A.describe(mode))
  end
  for _, r in ipairs(X) do
    local d
    if mode == "probability" then
      d = 0
      for _, v in ipairs(r) do d = d + v end
    elseif mode == "peak" then
      d = -math.huge
      for _, v in ipairs(r) do if v > d then d = v end end
    else
      d = r[1]
    end
    if d == 0 then d = 1.0 end
    for j = 1, #r do r[j] = r[j] / d end
  end
  return X
end

--- Class-averaged ISI autocorrelograms, mean ± SEM (upstream
-- `plot_btn_autocorr_summary`).
-- @tparam table opts `acorr` (n x m), `labels` (n), `bin_times` (m + 1
--   edges: x = bin centres) or `res` (x = k * res), `mapping`, `colors`
--   (name -> colour), `normalize` ("probability", "peak", "first", "none"),
--   `smooth_sigma` (Gaussian, bins), `long_max_ms` (200), `short_max_ms`
--   (a second "Short lag" panel), `title` ("BTN temporal autocorr"),
--   `figsize` ({8, 3}; 1.6 times wider with two panels), `save_path`,
--   `show` (true), `config`
-- @return fig
function M.plot_btn_autocorr_summary(opts)
  local fn = "plot_btn_autocorr_summary"
  local o = A.options(opts, fn, {"acorr", "labels", "bin_times", "res", "mapping", "colors", "normalize",
                                 "smooth_sigma", "long_max_ms", "short_max_ms", "title", "figsize", "save_path",
                                 "show", "config"})
  if o.acorr == nil then A.fail(fn, "acorr", nil, "is required (one autocorrelogram per neuron)") end
  local ac = kw.array(o.acorr, fn, "acorr", nil, {ndim = 2})
  local n, m = ac:shape(1), ac:shape(2)
  if n < 1 or m < 1 then A.fail(fn, "acorr", nil, "must not be empty, got %s", A.describe(ac)) end
  if o.labels == nil then A.fail(fn, "labels", nil, "is required (one cluster id per neuron)") end
  local labels = int_labels(o.labels, fn, n)
  local mapping = check_mapping(o.mapping, fn)
  local normalize = o.normalize
  if normalize == nil then normalize = "probability" elseif normalize == false then normalize = "none" end
  local X = normalize_rows(core.array(ac, "float64"):totable(), normalize, fn)
  if o.smooth_sigma ~= nil then
    local s = A.number(o.smooth_sigma, fn, "smooth_sigma", nil, {gt = 0})
    local sm = core.cellc.gaussian_filter(core.array(X, "float64"), 0, s, 4.0)
    X = sm:totable()
  end
  local x = {}
  if o.bin_times ~= nil then
    local bt = kw.array(o.bin_times, fn, "bin_times", nil, {ndim = 1}):totable()
    if #bt ~= m + 1 then A.fail(fn, "bin_times", nil, "must have %d edges (acorr's columns + 1), got %d", m + 1, #bt) end
    for j = 1, m do x[j] = 0.5 * (bt[j] + bt[j + 1]) * 1000.0 end
  elseif o.res ~= nil then
    local res = A.number(o.res, fn, "res", nil, {gt = 0})
    for j = 1, m do x[j] = (j - 1) * res * 1000.0 end
  else
    A.error(fn, "provide bin_times or res to define the lag axis")
  end
  local long_max = o.long_max_ms == nil and 200.0 or (o.long_max_ms ~= false and A.number(o.long_max_ms, fn, "long_max_ms")) or nil
  local short_max = o.short_max_ms ~= nil and A.number(o.short_max_ms, fn, "short_max_ms") or nil
  if o.colors ~= nil then A.table(o.colors, fn, "colors", nil) end
  local cids = cluster_order(labels, mapping)
  local names = {}
  for q, c in ipairs(cids) do names[q] = mapping and canonical(mapping[c] or tostring(c)) or tostring(c) end
  local ncols = short_max and 2 or 1
  local figsize = o.figsize or {8, 3}
  if ncols == 2 then figsize = {figsize[1] * 1.6, figsize[2]} end
  local cfg = plot_config(o, fn, {title = "BTN temporal autocorr", figsize = figsize, show = true})
  if o.figsize == nil and o.config == nil then cfg.figsize = figsize end
  local fig = core.plot_figure{figsize = cfg.figsize}
  local function panel(ax, max_ms, title)
    local keep = {}
    for j = 1, m do if max_ms == nil or x[j] <= max_ms then keep[#keep + 1] = j end end
    for q, c in ipairs(cids) do
      local mean, sq, k = {}, {}, 0
      for j = 1, m do mean[j], sq[j] = 0, 0 end
      for i, l in ipairs(labels) do
        if l == c then
          k = k + 1
          for j = 1, m do mean[j] = mean[j] + X[i][j] end
        end
      end
      if k > 0 then
        for j = 1, m do mean[j] = mean[j] / k end
        for i, l in ipairs(labels) do
          if l == c then for j = 1, m do sq[j] = sq[j] + (X[i][j] - mean[j]) ^ 2 end end
        end
        local color = (o.colors and o.colors[names[q]]) or DEFAULT_COLORS[names[q]] or TAB10[(q - 1) % 10 + 1]
        local xs, ys, lo, hi = {}, {}, {}, {}
        for a, j in ipairs(keep) do
          local sem = math.sqrt(sq[j] / k) / math.sqrt(k)
          xs[a], ys[a], lo[a], hi[a] = x[j], mean[j], mean[j] - sem, mean[j] + sem
        end
        if #xs > 0 then
          ax:plot(xs, ys, {color = color, linewidth = 2, label = names[q]})
          local px, py = {}, {}
          for a = 1, #xs do px[a], py[a] = xs[a], hi[a] end
          for a = #xs, 1, -1 do px[#px + 1], py[#py + 1] = xs[a], lo[a] end
          ax:fill(px, py, {color = color, alpha = 0.25, linewidth = 0})
        end
      end
    end
    ax:set_xlabel("Lag (ms)")
    ax:set_title(title)
    ax:legend{}
  end
  local ax1 = fig:subplot(1, ncols, 1)
  panel(ax1, long_max, "Long lag")
  ax1:set_ylabel(normalize == "probability" and "Probability" or "Autocorr (norm)")
  if short_max then panel(fig:subplot(1, ncols, 2), short_max, "Short lag") end
  if cfg.title and cfg.title ~= "" then fig:suptitle(cfg.title) end
  require("canns.analyzer.visualization.render").finalize(fig, cfg, fn)
  return fig
end

return M
