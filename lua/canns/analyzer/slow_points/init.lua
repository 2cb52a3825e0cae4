--- Slow points / fixed points of recurrent systems (upstream
-- `canns.analyzer.slow_points`): `FixedPointFinder`, `FixedPoints`,
-- `save_checkpoint` / `load_checkpoint`, `plot_fixed_points_2d` /
-- `plot_fixed_points_3d`.
-- @module canns.analyzer.slow_points

local core = require "canns.core"
local A = require "canns.argcheck"

local M = {
  FixedPointFinder = require "canns.analyzer.slow_points.finder",
  FixedPoints = require "canns.analyzer.slow_points.fixed_points",
}
local vis = require "canns.analyzer.slow_points.visualization"
M.plot_fixed_points_2d = vis.plot_fixed_points_2d
M.plot_fixed_points_3d = vis.plot_fixed_points_3d

--- Save every named state variable of `model` (its `state_dict()`) to
-- `path` as an .npz archive (parent folders are created; overwrites).
function M.save_checkpoint(model, path)
  local fn = "save_checkpoint"
  if type(model) ~= "table" or type(model.state_dict) ~= "function" then
    A.fail(fn, 1, "model", "must have a state_dict() method, got %s", A.describe(model))
  end
  path = A.string(path, fn, 2, "path")
  local dir = path:match("^(.*)/[^/]*$")
  if dir and dir ~= "" then core.mkdir(dir) end
  core.save_npz(path, model:state_dict())
  print("Saved checkpoint to: " .. path)
end

--- Restore `model` from a checkpoint: false when the file is missing or
-- cannot be read or applied, else true.
function M.load_checkpoint(model, path)
  local fn = "load_checkpoint"
  if type(model) ~= "table" or type(model.load_state_dict) ~= "function" then
    A.fail(fn, 1, "model", "must have a load_state_dict() method, got %s", A.describe(model))
  end
  path = A.string(path, fn, 2, "path")
  local f = io.open(path, "rb")
  if not f then return false end
  f:close()
  local ok, t = pcall(core.load_npz, path)
  if not ok or type(t) ~= "table" then return false end
  if not model:load_state_dict(t) then return false end
  print("Loaded checkpoint from: " .. path)
  return true
end

return M
