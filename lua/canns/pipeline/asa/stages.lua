--- The stages of the ASA pipeline runner (after upstream's
-- `canns.pipeline.asa.runner`): what each reads, the hash that keys its
-- cache, the files it must find for a cache hit, and how it computes.
--
-- Each stage is `{name, hash(ctx), files(ctx, h), meta(ctx, h) -> path,
-- key, compute(ctx, paths), load(ctx, paths)}`; paths are inside the
-- results folder `ctx.out`.  Hashes chain: embedding = H(input file,
-- preprocess); TDA = H(embedding, tda); decoding = H(persistence file,
-- decode); the plots = H(decoding or embedding, their own section).
-- @module canns.pipeline.asa.stages

local core = require "canns.core"
local cio = require "canns.io"
local json = require "canns.pipeline.json"
local files = require "canns.pipeline.asa.files"

local M = {}

local function asa() return require "canns.analyzer.data.asa" end

--- The digest of a table (its sorted JSON).
function M.hash(t) return core.hash_string(json.encode(t)) end

local function fail(fmt, ...) error(string.format(fmt, ...), 0) end

-- the activity matrix of a stage: the preprocessed matrix ("fr") or the
-- raw dense spike matrix ("spike")
local function activity(ctx, mode, stage)
  if mode == "spike" then
    if not ctx.data.dense then
      fail("%s: mode 'spike' needs a dense spike matrix in the input file (it holds spike trains)", stage)
    end
    return ctx.data.spike
  end
  if not ctx.E then fail("%s: no preprocessed matrix (run the preprocess stage first)", stage) end
  return ctx.E
end

-- columns (dim1, dim2) or (dim) of a decoded matrix
local function columns(c, sec, stage)
  local want = sec.dim_mode == "1d" and {sec.dim} or {sec.dim1, sec.dim2}
  for _, d in ipairs(want) do
    if d > c:shape(2) then fail("%s: dim %d out of range for coords of shape {%d, %d}", stage, d, c:shape(1), c:shape(2)) end
  end
  local idx = core.array(want, "int64")
  return core.asa.take(c:transpose():copy(), idx):transpose():copy()
end

local function pos_of(ctx) return ctx.pos or ctx.data end

M.embed = {name = "embed", key = "hash",
  hash = function(ctx)
    return M.hash({input_hash = ctx.input_hash, method = ctx.cfg.preprocess.method, params = ctx.cfg.preprocess})
  end,
  files = function(ctx, h)
    return ctx.cfg.preprocess.method == "none" and {} or {(".asa_cache/embed_%s.npz"):format(h)}
  end,
  meta = function(_, h) return (".asa_cache/embed_%s.json"):format(h) end,
  compute = function(ctx, paths)
    local p = ctx.cfg.preprocess
    if p.method == "none" then
      ctx.E = ctx.data.dense and ctx.data.spike or nil
      if not ctx.E then ctx.warn("the input holds spike trains, not a dense matrix: choose preprocess.method = 'embed_spike_trains'") end
      ctx.pos = nil
      return {}
    end
    local A = asa()
    if ctx.data.dense then fail("embed: the input's spike entry is already a dense matrix; use preprocess.method = 'none'") end
    local E, x, y, t = A.embed_spike_trains(ctx.data, A.SpikeEmbeddingConfig{res = p.res, dt = p.dt,
      sigma = p.sigma, smooth = p.smooth, speed_filter = p.speed_filter, min_speed = p.min_speed})
    ctx.E, ctx.pos = E, {x = x, y = y, t = t}
    local z = {embed_data = E}
    for k, v in pairs(ctx.pos) do if core.isarray(v) then z[k] = v end end
    cio.save_npz(paths[1], z)
    return {embedding = paths[1]}
  end,
  load = function(ctx, paths)
    if ctx.cfg.preprocess.method == "none" then
      ctx.E, ctx.pos = ctx.data.dense and ctx.data.spike or nil, nil
      return {}
    end
    local z = cio.load_npz(paths[1])
    if not z.embed_data then error(paths[1] .. ": no embed_data entry", 0) end
    ctx.E, ctx.pos = z.embed_data, z.t and {x = z.x, y = z.y, t = z.t} or nil
    return {embedding = paths[1]}
  end}

M.tda = {name = "tda", key = "hash",
  hash = function(ctx) return M.hash({embed_hash = ctx.hashes.embed, params = ctx.cfg.tda}) end,
  files = function() return {"TDA/persistence.npz", "TDA/barcode.png"} end,
  meta = function() return "TDA/cache.json" end,
  compute = function(ctx, paths)
    local E = ctx.E
    if not (core.isarray(E) and E:ndim() == 2) then
      fail("TDA requires a dense spike matrix (T,N): choose preprocess.method = 'embed_spike_trains' "
           .. "or give a dense spike matrix in the .npz")
    end
    local s = ctx.cfg.tda
    if s.standardize then E = core.asa.normalize_columns(E:astype("float64"), "zscore_per_neuron") end
    local A = asa()
    local res = A.tda_vis(E, A.TDAConfig{dim = s.dim, num_times = s.num_times, active_times = s.active_times,
      k = s.k, n_points = s.n_points, metric = s.metric, nbs = s.nbs, maxdim = s.maxdim, coeff = s.coeff,
      do_shuffle = s.do_shuffle, num_shuffles = s.num_shuffles, show = false, progress_bar = false,
      standardize = false})
    files.save_persistence(paths[1], res)
    A.plot_barcode(res.persistence, res.shuffle_max, {save_path = paths[2], show = false, dpi = 200})
    ctx.res = res
    return {persistence = paths[1], barcode = paths[2]}
  end,
  load = function(ctx, paths)
    ctx.res = files.load_persistence(paths[1])
    return {persistence = paths[1], barcode = paths[2]}
  end}

M.decode = {name = "decode", key = "decode_hash",
  hash = function(ctx)
    return M.hash({persistence_hash = core.hash_file(ctx.out .. "/TDA/persistence.npz"), params = ctx.cfg.decode})
  end,
  files = function() return {"CohoMap/decoding.npz"} end,
  meta = function() return "CohoMap/cache.json" end,
  compute = function(ctx, paths)
    local d, A = ctx.cfg.decode, asa()
    if d.decode_version == "v0" then
      if ctx.data.dense then fail("decode: decode_version 'v0' embeds the spike trains again: the input must hold spike trains") end
      A.decode_circular_coordinates(ctx.res, ctx.data, {real_ground = d.real_ground, real_of = d.real_of,
                                                        save_path = paths[1]})
    else
      A.decode_circular_coordinates_multi(ctx.res, ctx.E, {num_circ = d.num_circ, save_path = paths[1]})
    end
    ctx.dec = files.load_decoding(paths[1])
    return {decoding = paths[1]}
  end,
  load = function(ctx, paths)
    ctx.dec = files.load_decoding(paths[1])
    return {decoding = paths[1]}
  end}

M.cohomap = {name = "cohomap", key = "hash",
  hash = function(ctx) return M.hash({decode_hash = ctx.hashes.decode, plot = "cohomap", params = ctx.cfg.cohomap}) end,
  files = function() return {"CohoMap/cohomap.png"} end,
  meta = function() return "CohoMap/cache.json" end,
  compute = function(ctx, paths)
    local p = pos_of(ctx)
    asa().plot_cohomap_scatter_multi(ctx.dec, {x = p.x, y = p.y},
                                     {subsample = ctx.cfg.cohomap.subsample, save_path = paths[1], show = false})
    return {cohomap = paths[1]}
  end,
  load = function(_, paths) return {cohomap = paths[1]} end}

-- rows of the aligned path kept by the slice and the stride
local function path_rows(t, s)
  local n, i0, i1 = t:size(), 1, t:size()
  if s.slice_mode == "index" then
    i0, i1 = s.imin or 1, math.min(n, s.imax or n)
  else
    local tv = t:totable()
    i0, i1 = n + 1, 0
    for i = 1, n do
      if (not s.tmin or tv[i] >= s.tmin) and (not s.tmax or tv[i] <= s.tmax) then
        i0, i1 = math.min(i0, i), math.max(i1, i)
      end
    end
  end
  local rows = {}
  for i = i0, i1, s.stride do rows[#rows + 1] = i end
  if #rows < 2 then fail("pathcompare: the slice keeps %d sample(s) of %d (check tmin/tmax or imin/imax)", #rows, n) end
  return core.array(rows, "int64")
end

M.pathcompare = {name = "pathcompare", key = "hash",
  hash = function(ctx)
    return M.hash({decode_hash = ctx.hashes.decode, embed_hash = ctx.hashes.embed, params = ctx.cfg.pathcompare})
  end,
  files = function() return {"PathCompare/path_compare.png"} end,
  meta = function() return "PathCompare/cache.json" end,
  compute = function(ctx, paths)
    local s, A, dec = ctx.cfg.pathcompare, asa(), ctx.dec
    local c = s.coords_key and dec[s.coords_key] or (s.use_box and dec.coordsbox or dec.coords)
    if not core.isarray(c) then fail("pathcompare: coords_key '%s' is not in the decoding", tostring(s.coords_key)) end
    c = columns(c, s, "pathcompare")
    local tb = s.use_box and (s.times_box_key and dec[s.times_box_key] or dec.times_box) or nil
    local p = pos_of(ctx)
    local align = s.dim_mode == "1d" and A.align_coords_to_position_1d or A.align_coords_to_position_2d
    local t, x, y, coords = align(p.t, p.x, p.y, c, s.use_box, tb, s.interp_to_full)
    coords = A.apply_angle_scale(coords, s.theta_scale)
    local rows = path_rows(t, s)
    x, y, coords = core.asa.take(x, rows), core.asa.take(y, rows), core.asa.take(coords, rows)
    local plot = s.dim_mode == "1d" and A.plot_path_compare_1d or A.plot_path_compare_2d
    plot(x, y, coords, {save_path = paths[1], show = false})
    return {path_compare = paths[1]}
  end,
  load = function(_, paths) return {path_compare = paths[1]} end}

M.cohospace = {name = "cohospace", key = "hash",
  hash = function(ctx)
    return M.hash({decode_hash = ctx.hashes.decode, embed_hash = ctx.hashes.embed, params = ctx.cfg.cohospace})
  end,
  files = function(ctx)
    local s, f = ctx.cfg.cohospace, {"CohoSpace/cohospace_trajectory.png"}
    if s.neuron_id and s.view ~= "population" then f[#f + 1] = ("CohoSpace/cohospace_neuron_%d.png"):format(s.neuron_id) end
    if s.view ~= "single" then f[#f + 1] = "CohoSpace/cohospace_population.png" end
    return f
  end,
  meta = function() return "CohoSpace/cache.json" end,
  compute = function(ctx, paths)
    local s, A, dec = ctx.cfg.cohospace, asa(), ctx.dec
    local d1 = s.dim_mode == "1d"
    local coords = columns(dec.coordsbox, s, "cohospace")
    local act = activity(ctx, s.mode, "cohospace")
    local art = {cohospace_trajectory = paths[1]}
    local traj = d1 and A.plot_cohospace_scatter_trajectory_1d or A.plot_cohospace_scatter_trajectory_2d
    traj(coords, {subsample = s.subsample, save_path = paths[1], show = false})
    local k = 2
    local opts = {times = dec.times_box, mode = s.mode, top_percent = s.top_percent, show = false}
    if s.neuron_id and s.view ~= "population" then
      if s.neuron_id > act:shape(2) then fail("cohospace: neuron_id %d is past the %d neurons", s.neuron_id, act:shape(2)) end
      opts.save_path = paths[k]
      local f = d1 and A.plot_cohospace_scatter_neuron_1d or A.plot_cohospace_scatter_neuron_2d
      f(coords, act, s.neuron_id, opts)
      art.neuron, k = paths[k], k + 1
    end
    if s.view ~= "single" then
      local ids = {}
      for i = 1, act:shape(2) do ids[i] = i end
      opts.save_path = paths[k]
      local f = d1 and A.plot_cohospace_scatter_population_1d or A.plot_cohospace_scatter_population_2d
      f(coords, act, ids, opts)
      art.population = paths[k]
    end
    return art
  end,
  load = function(_, paths)
    local art = {cohospace_trajectory = paths[1]}
    for i = 2, #paths do art[paths[i]:find("_population", 1, true) and "population" or "neuron"] = paths[i] end
    return art
  end}

M.fr = {name = "fr", key = "hash",
  hash = function(ctx) return M.hash({embed_hash = ctx.hashes.embed, params = ctx.cfg.fr}) end,
  files = function() return {"FR/fr_heatmap.png"} end,
  meta = function() return "FR/cache.json" end,
  compute = function(ctx, paths)
    local s, A = ctx.cfg.fr, asa()
    local act = activity(ctx, s.mode, "fr")
    local Mx = A.compute_fr_heatmap_matrix(act, {s.neuron_start or nil, s.neuron_end or nil},
      {s.time_start or nil, s.time_end or nil}, {normalize = s.normalize ~= "none" and s.normalize or nil})
    A.save_fr_heatmap_png(Mx, {save_path = paths[1], show = false})
    return {fr_heatmap = paths[1]}
  end,
  load = function(_, paths) return {fr_heatmap = paths[1]} end}

M.frm = {name = "frm", key = "hash",
  hash = function(ctx) return M.hash({embed_hash = ctx.hashes.embed, params = ctx.cfg.frm}) end,
  files = function(ctx) return {("FRM/frm_neuron_%d.png"):format(ctx.cfg.frm.neuron_id)} end,
  meta = function() return "FRM/cache.json" end,
  compute = function(ctx, paths)
    local s, A = ctx.cfg.frm, asa()
    local act = activity(ctx, s.mode, "frm")
    local p = pos_of(ctx)
    if not (p.x and p.y) then fail("frm: position data (x, y) is required") end
    local r = A.compute_frm(act, p.x, p.y, s.neuron_id, {bins = s.bins, min_occupancy = s.min_occupancy,
                                                         smoothing = s.smoothing, sigma = s.smooth_sigma})
    A.plot_frm(r.frm, {save_path = paths[1], show = false})
    return {frm = paths[1]}
  end,
  load = function(_, paths) return {frm = paths[1]} end}

--- The stages a list of analysis modes runs, in order (with `embed`
-- first and `decode` before the stages that need it).
function M.plan(modes)
  local want = {}
  for _, m in ipairs(modes) do want[m] = true end
  local out = {M.embed}
  local order = {"tda", "decode", "cohomap", "pathcompare", "cohospace", "fr", "frm"}
  local needs_decode = want.cohomap or want.pathcompare or want.cohospace
  local needs_tda = want.tda or needs_decode
  for _, n in ipairs(order) do
    if want[n] or (n == "tda" and needs_tda) or (n == "decode" and needs_decode) then out[#out + 1] = M[n] end
  end
  return out
end

return M
