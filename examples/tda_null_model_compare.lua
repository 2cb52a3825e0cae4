-- Which null model makes a barcode significant?  The persistent homology
-- of a grid module's activity against four kinds of surrogate data:
--
--   local_circular_shift  each neuron rolled by less than 10 % of the session
--   full_circular_shift   each neuron rolled by any amount
--   block_shuffle         each neuron's blocks of 250 bins put in a random order
--   time_permutation      each neuron's time bins permuted
--
-- For every null model the longest H1 and H2 bars of the surrogates give
-- percentile thresholds (H1 99 % and 95 %, H2 95 %); the real data's
-- longest bars are reported as ratios to them and as empirical p-values
-- (1 + #{null >= real}) / (n + 1).
--
--   build/canns examples/tda_null_model_compare.lua [output folder [surrogates per model]]
--   (default out/tda_null_model_compare, 10)
--
-- Twin of examples/experimental_data_analysis/tda_null_model_compare.py of
-- the Python toolkit (its --plot-output-dir on: the multi-null barcode grid
-- and the ratio chart; a JSON summary), on the synthetic grid-cell session
-- of the other ASA examples instead of a recorded one, so nothing is
-- downloaded.  To run in seconds it uses 10 surrogates per model (upstream
-- 20) and a smaller TDA (active_times 1000, k 200, n_points 150, nbs 100;
-- upstream 15000, 1000, 1200, 800); maxdim 2 and the other settings are
-- upstream's.  The surrogates come from canns' own generator (seed 0), not
-- numpy's, and NaN statistics are written as JSON null (Python writes NaN).
local canns = require "canns"
local core = require "canns.core"
local json = require "canns.pipeline.json"
local asa = canns.analyzer.data.asa

local outdir = arg and arg[1] or "out/tda_null_model_compare"
local num_shuffles = math.tointeger(tonumber(arg and arg[2] or "10"))
assert(num_shuffles and num_shuffles >= 1, "surrogates per model must be a positive integer")
canns.mkdir(outdir)

local P = {seed = 0, local_shift_fraction = 0.1, block_size = 250,
           h1_primary_percentile = 99.0, h1_secondary_percentile = 95.0, h2_primary_percentile = 95.0}
local METHODS = {"local_circular_shift", "full_circular_shift", "block_shuffle", "time_permutation"}

local data = asa.synthetic_grid_session{T = 30000, n_side = 8, seed = 1}
local ecfg = {res = 100000, dt = 1000, sigma = 5000, smooth = true, speed_filter = false, min_speed = 2.5}
local E = asa.embed_spike_trains(data, asa.SpikeEmbeddingConfig(ecfg))
local T, N = E:shape(1), E:shape(2)
local tcfg = {dim = 6, num_times = 5, active_times = 1000, k = 200, n_points = 150, metric = "cosine",
              nbs = 100, maxdim = 2, coeff = 47, standardize = true, show = false, do_shuffle = false,
              progress_bar = false}
local maxdim = tcfg.maxdim
print(("Loaded spikes of the synthetic grid session: shape={%d, %d}, smooth=true, speed_filter=false"):format(T, N))
print(("Running real PH with dim=%d, active_times=%d, n_points=%d, maxdim=%d"):format(
  tcfg.dim, tcfg.active_times, tcfg.n_points, maxdim))

local function persistence(S) return asa.tda_vis(S, asa.TDAConfig(tcfg)).persistence end

-- finite, positive lifetimes of a diagram, longest first
local function lifetimes(dg)
  local out = {}
  if dg then
    for i = 1, dg:shape(1) do
      local b, d = dg:get(i, 1), dg:get(i, 2)
      local l = d - b
      if b > -math.huge and b < math.huge and d > -math.huge and d < math.huge and l > 0 then out[#out + 1] = l end
    end
  end
  table.sort(out, function(a, b) return a > b end)
  return out
end

local real = persistence(E)
local life = {}
for d = 0, maxdim do life[d] = lifetimes(real.dgms[d + 1]) end
local function at(l, i) return l[i] or 0.0 end
local top = {h1 = {at(life[1], 1), at(life[1], 2), at(life[1], 3)}, h2 = {at(life[2], 1), at(life[2], 2)}}
local real_topology = {
  h0_count = #life[0], h1_count = #life[1], h2_count = #life[2],
  h1_top1 = top.h1[1], h1_top2 = top.h1[2], h1_top3 = top.h1[3], h2_top1 = top.h2[1], h2_top2 = top.h2[2],
  h1_prominence_ratio = #life[1] >= 2 and top.h1[2] / math.max(top.h1[3], 1e-8) or 0.0,
  h2_prominence_ratio = #life[2] >= 1 and top.h2[1] / math.max(top.h2[2], 1e-8) or 0.0,
  h1_strength = 0.5 * (top.h1[1] + top.h1[2]), h2_strength = top.h2[1],
}
print(("Real topology summary: H1 top1=%.6f, H1 top2=%.6f, H2 top1=%.6f"):format(
  real_topology.h1_top1, real_topology.h1_top2, real_topology.h2_top1))

-- surrogates: every neuron's column rearranged on its own
local g = core.random.Generator(P.seed)
local function column(n) return E:slice(2, {n, n}) end
local function roll(col, s) -- numpy.roll: rows move s later, the tail wraps to the front
  if s == 0 then return col end
  return core.concatenate({col:slice(1, {T - s + 1, T}), col:slice(1, {1, T - s})}, 1)
end
local surrogate = {
  local_circular_shift = function()
    local shifts = g:randint({N}, 0, math.max(1, math.floor(T * P.local_shift_fraction)))
    local cols = {}
    for n = 1, N do cols[n] = roll(column(n), shifts:get(n)) end
    return core.concatenate(cols, 2)
  end,
  full_circular_shift = function()
    local shifts = g:randint({N}, 0, T)
    local cols = {}
    for n = 1, N do cols[n] = roll(column(n), shifts:get(n)) end
    return core.concatenate(cols, 2)
  end,
  block_shuffle = function()
    local B = P.block_size
    if B <= 1 or B >= T then return E:copy() end
    local starts = {}
    for s = 1, T, B do starts[#starts + 1] = s end
    local cols = {}
    for n = 1, N do
      local col, order, parts = column(n), g:permutation(#starts), {}
      for i = 1, #starts do
        local s = starts[order:get(i)]
        parts[i] = col:slice(1, {s, math.min(s + B - 1, T)})
      end
      cols[n] = core.concatenate(parts, 1)
    end
    return core.concatenate(cols, 2)
  end,
  time_permutation = function()
    local cols = {}
    for n = 1, N do cols[n] = core.asa.take(column(n), g:permutation(T)) end
    return core.concatenate(cols, 2)
  end,
}

local function finite(l)
  local out = {}
  for _, v in ipairs(l) do if v == v and v > -math.huge and v < math.huge then out[#out + 1] = v end end
  return out
end
local function pct(l, q) return #l > 0 and core.tda.percentile(l, q) or 0 / 0 end
local function pvalue(l, v)
  if #l == 0 then return 0 / 0 end
  local k = 0
  for _, x in ipairs(l) do if x >= v then k = k + 1 end end
  return (1 + k) / (#l + 1)
end
local function mean_std(l)
  if #l == 0 then return 0 / 0, 0 / 0 end
  local s, q = 0, 0
  for _, x in ipairs(l) do s = s + x end
  local m = s / #l
  for _, x in ipairs(l) do q = q + (x - m) ^ 2 end
  return m, math.sqrt(q / #l)
end
local function ratio(v, thr) return thr == thr and v / math.max(thr, 1e-8) or 0 / 0 end

local function summarize(name, maxima)
  local h1, h2 = finite(maxima[1]), finite(maxima[2] or {})
  local t1, t1b, t2 = pct(h1, P.h1_primary_percentile), pct(h1, P.h1_secondary_percentile),
                      pct(h2, P.h2_primary_percentile)
  local m1, s1 = mean_std(h1)
  local m2, s2 = mean_std(h2)
  local iters = 0
  for d = 0, maxdim do iters = math.max(iters, #maxima[d]) end
  return {method = name, iterations = iters, h1_null_count = #h1, h2_null_count = #h2,
          h1_primary_threshold = t1, h1_secondary_threshold = t1b, h2_primary_threshold = t2,
          h1_top1_ratio = ratio(real_topology.h1_top1, t1), h1_top2_ratio = ratio(real_topology.h1_top2, t1b),
          h2_top1_ratio = ratio(real_topology.h2_top1, t2),
          h1_top1_pvalue = pvalue(h1, real_topology.h1_top1), h1_top2_pvalue = pvalue(h1, real_topology.h1_top2),
          h2_top1_pvalue = pvalue(h2, real_topology.h2_top1),
          h1_null_mean = m1, h1_null_std = s1, h2_null_mean = m2, h2_null_std = s2}
end

local summaries = {}
for _, method in ipairs(METHODS) do
  print(("\n[%s] starting %d surrogate iterations"):format(method, num_shuffles))
  local maxima = {}
  for d = 0, maxdim do maxima[d] = {} end
  for it = 1, num_shuffles do
    local pr = persistence(surrogate[method]())
    local m = {}
    for d = 0, maxdim do
      local l = lifetimes(pr.dgms[d + 1])
      if #l > 0 then m[d] = l[1]; maxima[d][#maxima[d] + 1] = l[1] end
    end
    print(("[%s] iteration %d/%d H1=%.6f H2=%.6f"):format(method, it, num_shuffles, m[1] or 0 / 0, m[2] or 0 / 0))
  end
  local s = summarize(method, maxima)
  print(("[%s] done: H1 top1 ratio=%.3f, H1 top2 ratio=%.3f, H2 top1 ratio=%.3f"):format(
    method, s.h1_top1_ratio, s.h1_top2_ratio, s.h2_top1_ratio))
  summaries[#summaries + 1] = s
end

-- the real barcode under each null model's thresholds (grey: below the
-- threshold, red: real bars above it)
local function plot_multi_null_barcode(path, top_n)
  local min_birth, max_death = 0, 0
  for d = 0, maxdim do
    local dg = real.dgms[d + 1]
    for i = 1, dg:shape(1) do
      if dg:get(i, 2) < math.huge then
        min_birth, max_death = math.min(min_birth, dg:get(i, 1)), math.max(max_death, dg:get(i, 2))
      end
    end
  end
  if max_death == 0 and min_birth == 0 then max_death = 1 end
  local infinity = max_death + (max_death - min_birth) * 0.1
  local colors = {[0] = {0.1, 0.45, 0.75}, [1] = {0.0, 0.55, 0.2}, [2] = {0.5, 0.25, 0.75}}
  local nr, nc = maxdim + 1, #summaries
  local fig = core.plot_figure{figsize = {4.8 * nc, 2.8 * nr}}
  for c, s in ipairs(summaries) do
    local thr = {[0] = 0.0, [1] = s.h1_primary_threshold, [2] = s.h2_primary_threshold}
    for d = 0, maxdim do
      local ax = fig:subplot(nr, nc, d * nc + c)
      local dg = real.dgms[d + 1]
      local bars = {}
      for i = 1, dg:shape(1) do
        local b, e = dg:get(i, 1), dg:get(i, 2)
        if e == math.huge then e = infinity end
        bars[#bars + 1] = {b = b, l = e - b, i = i}
      end
      table.sort(bars, function(p, q) if p.l ~= q.l then return p.l < q.l end return p.i < q.i end)
      local sel = {}
      for i = math.max(1, #bars - top_n + 1), #bars do sel[#sel + 1] = bars[i] end
      if d > 0 then
        table.sort(sel, function(p, q) if p.b ~= q.b then return p.b > q.b end return p.i > q.i end)
      end
      local ymax = math.max(#sel, 1)
      local t = thr[d]
      if t == t and t > 0 then
        ax:fill({0, t, t, 0}, {0, 0, ymax, ymax}, {color = "gray", alpha = 0.18, linewidth = 0, zorder = -3})
        ax:axvline(t, {color = "gray", linestyle = "--", alpha = 0.75, linewidth = 1.2})
      end
      for k, bar in ipairs(sel) do
        local y = k - 0.5
        local col = bar.l > (t == t and t or 0) and "red" or colors[d]
        ax:fill({bar.b, bar.b + bar.l, bar.b + bar.l, bar.b}, {y - 0.38, y - 0.38, y + 0.38, y + 0.38},
                {color = col, linewidth = 0})
      end
      ax:set_ylim(0, ymax)
      ax:set_xlim(0, infinity)
      ax:set_yticks({})
      ax:set_spines{top = false, right = false, left = false}
      if c == 1 then ax:set_ylabel("H" .. d, {fontsize = 12}) end
      if d == 0 then ax:set_title(s.method, {fontsize = 11}) end
      if d == maxdim then ax:set_xlabel("lifetime") end
    end
  end
  fig:suptitle("Real barcode under different null-model thresholds\n"
               .. "gray = null threshold region, red = real bars above threshold")
  fig:savefig(path, {dpi = 220})
end

-- real lifetime / threshold per null model, grouped bars
local function plot_null_ratio_summary(path)
  local metrics = {{"h1_top1_ratio", "H1 top1", "#2f7bbd"}, {"h1_top2_ratio", "H1 top2", "#15a36d"},
                   {"h2_top1_ratio", "H2 top1", "#b24a3f"}}
  local width = 0.24
  local fig = core.plot_figure{figsize = {11, 5.5}}
  local ax = fig:subplot(1, 1, 1)
  for k, m in ipairs(metrics) do
    local xs, hs = {}, {}
    for i, s in ipairs(summaries) do
      local v = s[m[1]]
      if v == v then xs[#xs + 1], hs[#hs + 1] = (i - 1) + (k - 2) * width, v end
    end
    if #xs > 0 then ax:bar(xs, hs, {width = width, label = m[2], color = m[3]}) end
  end
  ax:axhline(1.0, {color = "black", linestyle = "--", linewidth = 1, alpha = 0.7})
  local pos = {}
  for i = 1, #METHODS do pos[i] = i - 1 end
  ax:set_xticks(pos, METHODS)
  ax:set_ylabel("real lifetime / null threshold")
  ax:set_title("Barcode strength relative to each null-model threshold")
  ax:legend(true)
  ax:set_spines{top = false, right = false}
  fig:savefig(path, {dpi = 220})
end

local barcode_png = outdir .. "/synthetic_grid_multi_null_barcode.png"
local ratio_png = outdir .. "/synthetic_grid_null_ratio_summary.png"
plot_multi_null_barcode(barcode_png, 30)
plot_null_ratio_summary(ratio_png)
print("Saved barcode plot to " .. barcode_png)
print("Saved ratio summary plot to " .. ratio_png)

-- NaN (a statistic of an empty null sample) becomes JSON null
local function clean(v)
  if type(v) == "number" and v ~= v then return json.null end
  if type(v) == "table" then
    local o = {}
    for k, x in pairs(v) do o[k] = clean(x) end
    return o
  end
  return v
end
local results = {
  dataset = "synthetic_grid_session", seed = P.seed, spike_embedding_config = ecfg, tda_config = tcfg,
  spikes_shape = {T, N}, real_topology = real_topology, null_model_results = summaries,
  comparison_notes = {local_circular_shift_fraction = P.local_shift_fraction, block_size = P.block_size,
                      h1_primary_percentile = P.h1_primary_percentile,
                      h1_secondary_percentile = P.h1_secondary_percentile,
                      h2_primary_percentile = P.h2_primary_percentile, surrogates_per_model = num_shuffles},
}
local json_path = outdir .. "/tda_null_model_compare_synthetic_grid.json"
core.write_text(json_path, json.encode(clean(results), {indent = 2}))
print("Saved comparison summary to " .. json_path)
print("Real topology:")
for _, k in ipairs({"h1_top1", "h1_top2", "h1_top3", "h2_top1", "h2_top2"}) do
  print(("  %s: %.6f"):format(k, real_topology[k]))
end
print("Null-model summary:")
for _, s in ipairs(summaries) do
  print(("  %s: H1 top1 ratio=%.3f, H1 top2 ratio=%.3f, H2 top1 ratio=%.3f"):format(
    s.method, s.h1_top1_ratio, s.h1_top2_ratio, s.h2_top1_ratio))
end
print("figures and summary in " .. outdir)
