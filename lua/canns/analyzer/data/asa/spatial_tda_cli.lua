--- `canns spatial-tda`: the spatial TDA of an ASA session from the command
-- line (upstream's `python -m canns.analyzer.data.asa.spatial_tda`, its
-- `build_arg_parser` and `main`).
--
--     canns spatial-tda --data session.npz [--out-dir DIR] [--skip-embed] [--no-smooth]
--         [--speed-filter] [--min-speed 2.5] [--bins 50] [--fr-smooth] [--fr-sigma 1.0]
--         [--crop-fraction 0.3333] [--min-occupancy 1] [--pca-dim 7] [--maxdim 2]
--         [--coeff 47] [--no-standardize] [--shuffle] [--num-shuffles 100] [--seed 0]
-- @module canns.analyzer.data.asa.spatial_tda_cli

local M = {}

local FLAGS = {["--skip-embed"] = "skip_embed", ["--no-smooth"] = "no_smooth", ["--speed-filter"] = "speed_filter",
               ["--fr-smooth"] = "fr_smooth", ["--no-standardize"] = "no_standardize", ["--shuffle"] = "shuffle"}
local VALUES = {["--data"] = {"data", "string"}, ["--out-dir"] = {"out_dir", "string"},
                ["--min-speed"] = {"min_speed", "number"}, ["--bins"] = {"bins", "int"},
                ["--fr-sigma"] = {"fr_sigma", "number"}, ["--crop-fraction"] = {"crop_fraction", "number"},
                ["--min-occupancy"] = {"min_occupancy", "int"}, ["--pca-dim"] = {"pca_dim", "int"},
                ["--maxdim"] = {"maxdim", "int"}, ["--coeff"] = {"coeff", "int"},
                ["--num-shuffles"] = {"num_shuffles", "int"}, ["--seed"] = {"seed", "int"}}

local USAGE = [[usage: canns spatial-tda --data FILE.npz [--out-dir DIR] [--skip-embed] [--no-smooth]
       [--speed-filter] [--min-speed 2.5] [--bins 50] [--fr-smooth] [--fr-sigma 1.0]
       [--crop-fraction 0.3333] [--min-occupancy 1] [--pca-dim 7] [--maxdim 2] [--coeff 47]
       [--no-standardize] [--shuffle] [--num-shuffles 100] [--seed 0]
Spatial TDA of an ASA session: rate maps -> position-indexed point cloud -> PCA -> Ripser.]]

M.USAGE = USAGE

--- The parsed options of an argument list (upstream `build_arg_parser`'s
-- defaults): a table, or nil and a message.
function M.parse(args)
  local o = {out_dir = "spatial_tda_out", min_speed = 2.5, bins = 50, fr_sigma = 1.0, crop_fraction = 1 / 3,
             min_occupancy = 1, pca_dim = 7, maxdim = 2, coeff = 47, num_shuffles = 100, seed = 0}
  local i = 1
  while i <= #args do
    local a = args[i]
    if a == "-h" or a == "--help" then return nil, USAGE, true end
    local key, val = a:match("^(%-%-[%w-]+)=(.*)$")
    key = key or a
    if FLAGS[key] then
      o[FLAGS[key]] = true
    elseif VALUES[key] then
      if val == nil then i = i + 1; val = args[i] end
      if val == nil then return nil, ("%s needs a value\n%s"):format(key, USAGE) end
      local name, kind = VALUES[key][1], VALUES[key][2]
      if kind == "string" then o[name] = val
      else
        local v = tonumber(val)
        if v == nil or (kind == "int" and math.tointeger(v) == nil) then
          return nil, ("%s must be %s, got '%s'\n%s"):format(key, kind == "int" and "an integer" or "a number", val, USAGE)
        end
        o[name] = kind == "int" and math.tointeger(v) or v
      end
    else
      return nil, ("unrecognized argument '%s'\n%s"):format(a, USAGE)
    end
    i = i + 1
  end
  if not o.data then return nil, "--data is required\n" .. USAGE end
  return o
end

--- Run the command (upstream `main`): reads `--data`, prints the output
-- files and the summary's bar counts.  Returns the exit status: 0, or 2
-- after a usage message on standard error for bad arguments (as
-- argparse); raises on unreadable or unsuitable data.
function M.main(...)
  local args = {...}
  local o, msg, help = M.parse(args)
  if not o then
    if help then print(msg); return 0 end
    io.stderr:write("canns spatial-tda: ", msg, "\n")
    return 2
  end
  local asa = require "canns.analyzer.data.asa"
  local files = require "canns.pipeline.asa.files"
  local data = files.load_asa_npz(o.data)
  if o.skip_embed then
    if not data.dense then error("canns spatial-tda: --skip-embed needs a dense (T, N) spike matrix in " .. o.data, 0) end
  end
  local res = asa.run_spatial_tda_from_asa(data, {
    out_dir = o.out_dir, skip_embed = o.skip_embed or false,
    embed_config = (not o.skip_embed) and asa.SpikeEmbeddingConfig{smooth = not o.no_smooth,
      speed_filter = o.speed_filter or false, min_speed = o.min_speed} or nil,
    bins = o.bins, fr_smooth = o.fr_smooth or false, fr_sigma = o.fr_sigma, crop_fraction = o.crop_fraction,
    min_occupancy = o.min_occupancy, pca_dim = o.pca_dim, maxdim = o.maxdim, coeff = o.coeff,
    standardize = not o.no_standardize, shuffle = o.shuffle or false, num_shuffles = o.num_shuffles, seed = o.seed})
  print("Saved barcode: " .. res.barcode_png)
  print("Saved point cloud: " .. res.point_cloud_npz)
  print("Saved persistence: " .. res.persistence_npz)
  print("Saved summary: " .. res.summary_json)
  local rt = res.summary.real_topology
  for d = 0, o.maxdim do print(("H%d bars: %d"):format(d, rt[("h%d_count"):format(d)])) end
  return 0
end

return M
