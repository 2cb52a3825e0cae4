--- The shared part of the navigation tasks (upstream
-- `canns.task.navigation_base.BaseNavigationTask`): the environment and
-- agent built from the constructor's keywords, the movement-cost grid and
-- the geodesic distances between its free cells.
--
-- Construction follows upstream's order: the environment (a rectangle
-- `width` × `height`, or the polygon `boundary`, with `walls`, `holes`,
-- `objects`), then the agent (random interior position and heading from
-- its own seeded generator), then the start position set through the
-- environment's projection, then the initial heading when given.
-- @module canns.task.navigation_base

local core = require "canns.core"
local A = require "canns.argcheck"
local spatial = require "canns.spatial"

local M = {}

--- The keyword arguments every navigation task takes, with upstream's
-- defaults (`dt = nil` reads the global dt, `canns.get_dt()`).
M.BASE_KEYS = {"start_pos", "width", "height", "dimensionality", "boundary_conditions", "scale",
  "dx", "grid_dx", "grid_dy", "boundary", "walls", "holes", "objects", "dt", "speed_mean",
  "speed_std", "speed_coherence_time", "rotational_velocity_coherence_time",
  "rotational_velocity_std", "head_direction_smoothing_timescale", "initial_head_direction",
  "thigmotaxis", "wall_repel_distance", "wall_repel_strength", "rng_seed"}

local AGENT_PARAMS = {"speed_mean", "speed_std", "speed_coherence_time",
  "rotational_velocity_coherence_time", "rotational_velocity_std",
  "head_direction_smoothing_timescale", "thigmotaxis", "wall_repel_distance", "wall_repel_strength"}

local DEFAULTS = {speed_mean = 0.04, speed_std = 0.016, speed_coherence_time = 0.7,
  rotational_velocity_coherence_time = 0.08, rotational_velocity_std = 120 * math.pi / 180,
  head_direction_smoothing_timescale = 0.15, thigmotaxis = 0.5, wall_repel_distance = 0.1,
  wall_repel_strength = 1.0}

--- A point {x, y} of finite numbers (a table or a 2-element array).
function M.point(v, fname, key)
  if core.isarray(v) then v = v:totable() end
  if type(v) ~= "table" or #v ~= 2 or type(v[1]) ~= "number" or type(v[2]) ~= "number" then
    A.fail(fname, key, nil, "must be a point {x, y}, got %s", A.describe(v))
  end
  for i = 1, 2 do
    if v[i] ~= v[i] or v[i] == math.huge or v[i] == -math.huge then
      A.fail(fname, key, nil, "must have finite coordinates, got %s", A.describe(v[i]))
    end
  end
  return {v[1], v[2]}
end

local function deep_copy(v)
  if type(v) ~= "table" then return v end
  local t = {}
  for k, x in pairs(v) do t[k] = deep_copy(x) end
  return t
end

--- A class table whose instances look methods up in `parent` too.
function M.class(name, parent)
  local c = setmetatable({}, {__index = parent})
  c.__index = c
  c.__name = name
  return c
end

local Base = {}
Base.__index = Base
M.BaseNavigationTask = Base

--- Fill `self` from the keyword table `o` (already checked for unknown
-- keys): environment, agent, start position and heading.
function M.init(self, name, o)
  self.name = name
  local dim = A.string(o.dimensionality, name, "dimensionality", nil, {default = "2D"}):upper()
  if dim == "1D" then
    A.error(name, "option 'dimensionality' '1D' is not supported: navigation tasks do not " ..
            "support 1D environments (upstream raises NotImplementedError)")
  end
  if dim ~= "2D" then A.fail(name, "dimensionality", nil, "must be '2D', got %s", A.describe(o.dimensionality)) end
  self.dimensionality = dim
  self.dt = A.number(o.dt, name, "dt", nil, {default = core.get_dt(), gt = 0})
  self.width = A.number(o.width, name, "width", nil, {default = 5, gt = 0})
  self.height = A.number(o.height, name, "height", nil, {default = 5, gt = 0})
  self.aspect = self.width / self.height
  self.boundary_conditions = A.string(o.boundary_conditions, name, "boundary_conditions", nil,
                                      {default = "solid"})
  self.scale = A.number(o.scale, name, "scale", nil, {default = self.height, gt = 0})
  self.dx = A.number(o.dx, name, "dx", nil, {default = 0.01, gt = 0})
  self.grid_dx = A.number(o.grid_dx, name, "grid_dx", nil, {default = self.dx, gt = 0})
  self.grid_dy = A.number(o.grid_dy, name, "grid_dy", nil, {default = self.dx, gt = 0})
  self.boundary = deep_copy(o.boundary)
  self.walls = deep_copy(o.walls) or {}
  self.holes = deep_copy(o.holes) or {}
  self.objects = deep_copy(o.objects) or {}
  self.cost_grid, self.geodesic_result = nil, nil
  for _, k in ipairs(AGENT_PARAMS) do
    self[k] = A.number(o[k], name, k, nil, {default = DEFAULTS[k]})
  end
  self.start_pos = M.point(o.start_pos or {2.5, 2.5}, name, "start_pos")
  self.initial_head_direction = A.number(o.initial_head_direction, name, "initial_head_direction",
                                         nil, {optional = true})
  if o.rng_seed ~= nil then
    self.rng_seed = A.int(o.rng_seed, name, "rng_seed", nil, {min = 0, max = math.huge})
  end
  self.env_params = {boundary_conditions = self.boundary_conditions, scale = self.scale,
    aspect = self.aspect, dx = self.dx, boundary = self.boundary, walls = self.walls,
    holes = self.holes, objects = self.objects}
  local ok, env = pcall(spatial.Environment, self.env_params)
  if not ok then error((tostring(env):gsub("^Environment:", name .. ":")), 0) end
  self.env = env
  self.agent_params = {dt = self.dt}
  for _, k in ipairs(AGENT_PARAMS) do self.agent_params[k] = self[k] end
  M.new_agent(self)
end

--- A new agent with the task's parameters and seed, at the start position
-- (through the projection) with the initial heading when given.
function M.new_agent(self)
  local ok, agent = pcall(spatial.Agent, {environment = self.env, params = self.agent_params,
                                          rng_seed = self.rng_seed})
  if not ok then error((tostring(agent):gsub("^Agent:", self.name .. ":")), 0) end
  agent.pos = self.start_pos
  local th = self.initial_head_direction
  if th ~= nil then
    agent.velocity = {self.speed_mean * math.cos(th), self.speed_mean * math.sin(th)}
  end
  self.agent = agent
end

--- Update the grid resolution and forget the cached grid and distances.
function Base:set_grid_resolution(dx, dy)
  A.number(dx, "set_grid_resolution", 1, "dx", {gt = 0})
  A.number(dy, "set_grid_resolution", 2, "dy", {gt = 0})
  self.grid_dx, self.grid_dy = dx, dy
  self.cost_grid, self.geodesic_result = nil, nil
end

--- The movement-cost grid (cached; `refresh = true` rebuilds it): costs
-- 1 (free) or 2147483647 (blocked), rows from the top, `x_edges`,
-- `y_edges` (descending), `x_centers`, `y_centers`, `accessible_mask`,
-- `accessible_indices` ((n, 2) 0-based row, col), `get_cell_index(pos)`.
function Base:build_movement_cost_grid(opts)
  local o = A.options(opts, "build_movement_cost_grid", {"refresh"})
  if self.cost_grid and not o.refresh then return self.cost_grid end
  local b = self.boundary
  if b ~= nil and #b < 3 then b = nil end
  self.cost_grid = core.nav_costgrid{boundary = b, width = self.width, height = self.height,
    walls = self.walls, holes = self.holes, dx = self.grid_dx, dy = self.grid_dy}
  self.geodesic_result = nil
  return self.cost_grid
end

--- Geodesic distances between the free cells (8-connected Dijkstra,
-- parallel over sources): `{distances = (n, n) float64, accessible_indices,
-- cost_grid}`.  New `dx`/`dy` rebuild the grid (upstream kept the old
-- grid unless `refresh` was also given).
function Base:compute_geodesic_distance_matrix(opts)
  local fname = "compute_geodesic_distance_matrix"
  local o = A.options(opts, fname, {"dx", "dy", "refresh"})
  local dx = A.number(o.dx, fname, "dx", nil, {optional = true, gt = 0})
  local dy = A.number(o.dy, fname, "dy", nil, {optional = true, gt = 0})
  local changed = (dx and dx ~= self.grid_dx) or (dy and dy ~= self.grid_dy)
  if dx then self.grid_dx = dx end
  if dy then self.grid_dy = dy end
  if self.geodesic_result and not o.refresh and not changed then return self.geodesic_result end
  local grid = self:build_movement_cost_grid{refresh = o.refresh or changed}
  local r = {distances = grid:geodesic_distances(), accessible_indices = grid.accessible_indices,
             cost_grid = grid}
  self.geodesic_result = r
  return r
end

--- The 0-based index (into the geodesic matrix) of the cell holding pos,
-- or -1.  `bug_compatible = true` (default) reproduces upstream's
-- get_cell_index, which answers one row too high; false gives the cell
-- that really holds pos.
function Base:get_geodesic_index_by_pos(pos, opts)
  local o = A.options(opts, "get_geodesic_index_by_pos", {"refresh", "bug_compatible"})
  local grid = self:build_movement_cost_grid{refresh = o.refresh}
  return grid:get_cell_index(M.point(pos, "get_geodesic_index_by_pos", "pos"),
                             {bug_compatible = o.bug_compatible ~= false})
end

--- `MovementCostGrid{boundary, width = 5, height = 5, walls, holes, dx =
-- 0.01, dy = dx}`: a grid built directly (tasks build theirs with
-- build_movement_cost_grid).
function M.MovementCostGrid(o)
  A.table(o, "MovementCostGrid", 1, "options")
  return core.nav_costgrid(o)
end

--- `GeodesicDistanceResult{distances, accessible_indices, cost_grid}`:
-- the record compute_geodesic_distance_matrix returns.
function M.GeodesicDistanceResult(o)
  o = A.options(o, "GeodesicDistanceResult", {"distances", "accessible_indices", "cost_grid"})
  return {distances = o.distances, accessible_indices = o.accessible_indices, cost_grid = o.cost_grid}
end

--- Write `data` to a compressed `.npz`, one member per field (fields that
-- are nil are left out); parent folders are created.
function Base:save_data(path)
  if self.data == nil then A.error(self.name, "save_data: no data (call get_data() first)") end
  A.string(path, "save_data", 1, "path")
  local dir = path:match("^(.*)/[^/]*$")
  if dir and dir ~= "" then core.mkdir(dir) end
  local t = {}
  for k, v in pairs(self.data) do
    if core.isarray(v) then t[k] = v end
  end
  require("canns.io").save_npz(path, t)
end

--- Read `data` back from an `.npz` written by save_data.
function Base:load_data(path)
  A.string(path, "load_data", 1, "path")
  self.data = require("canns.io").load_npz(path)
end

return M
