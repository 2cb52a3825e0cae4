--- Theta-sweep models (upstream `canns.models.basic.theta_sweep_model`):
-- `calculate_theta_modulation`, the head-direction ring
-- `DirectionCellNetwork` and the twisted-torus grid module
-- `GridCellNetwork` and the geodesic place-cell network `PlaceCellNetwork`
-- (all built in C), with their methods beyond the common
-- `update`, `reset`, `state_names`, ... .  Loaded by `canns.models`, which
-- re-exports the constructors and `calculate_theta_modulation`.
--
--     local dc = canns.models.DirectionCellNetwork{num = 100, noise_strength = 0}
--     local gc = canns.models.GridCellNetwork{num_dc = 100, num_gc_x = 100}
--     local phase, mod_hd, mod_gc = canns.models.calculate_theta_modulation(i, lin, ang, 1, 1, 100)
--     dc:update(hd, mod_hd)                  -- inputs head_direction, theta_input
--     gc:update(pos, dc.r, mod_gc)           -- animal_position, direction_activity, theta_modulation
--
-- @module canns.models.theta_sweep

local core = require "canns.core"
local A = require "canns.argcheck"
local grid_cell = require "canns.models.grid_cell"

local M = {}

-- round a Lua number to float32
local function f32(x) return (string.unpack("f", string.pack("f", x))) end

-- numpy's remainder (the sign of y)
local function remainder(x, y)
  local r = math.fmod(x, y)
  if r ~= 0 and ((r < 0) ~= (y < 0)) then r = r + y end
  return r
end

local function constructor(name)
  return function(opts, ...)
    if select("#", ...) > 0 then
      error(name .. ": takes one table of keyword arguments, e.g. " .. name .. "{...}", 2)
    end
    return core.model_new(name, opts)
  end
end

--- Theta phase and the two theta gains at a time step (upstream
-- `calculate_theta_modulation`): `t = time_step * dt`,
-- `phase = mod(t, theta_cycle_len) / theta_cycle_len * 2 pi - pi`,
-- `mod_hd = 1 + theta_strength_hd (0.5 + ang_gain) cos(phase)`,
-- `mod_gc = 1 + theta_strength_gc (0.5 + linear_gain) cos(phase)`, in
-- float32.  `time_step`, `linear_gain` and `ang_gain` may be numbers or
-- arrays (then the results are float32 arrays, element by element).
-- @param time_step step index (number or array)
-- @param linear_gain normalised linear speed in [0, 1] (number or array)
-- @param ang_gain normalised angular speed in [-1, 1] (number or array)
-- @number[opt=0] theta_strength_hd
-- @number[opt=0] theta_strength_gc
-- @number[opt=100] theta_cycle_len
-- @number[opt] dt time step (default: the global one, `canns.get_dt()`)
-- @return phase, mod_hd, mod_gc
function M.calculate_theta_modulation(time_step, linear_gain, ang_gain, theta_strength_hd,
                                      theta_strength_gc, theta_cycle_len, dt)
  local fn = "calculate_theta_modulation"
  local shd = A.number(theta_strength_hd, fn, 4, "theta_strength_hd", {default = 0.0})
  local sgc = A.number(theta_strength_gc, fn, 5, "theta_strength_gc", {default = 0.0})
  local cyc = A.number(theta_cycle_len, fn, 6, "theta_cycle_len", {default = 100.0, gt = 0})
  dt = A.number(dt, fn, 7, "dt", {optional = true, gt = 0}) or core.get_dt()
  local vec = core.isarray(time_step) or core.isarray(linear_gain) or core.isarray(ang_gain)
  if not vec then
    A.number(time_step, fn, 1, "time_step")
    A.number(linear_gain, fn, 2, "linear_gain")
    A.number(ang_gain, fn, 3, "ang_gain")
    local pi = f32(math.pi)
    local t, c = f32(f32(time_step) * f32(dt)), f32(cyc)
    local ph = f32(remainder(t, c) / c)
    ph = f32(f32(f32(ph * 2) * pi) - pi)
    local cs = f32(math.cos(ph))
    return ph, f32(1 + f32(f32(shd * (0.5 + ang_gain)) * cs)),
      f32(1 + f32(f32(sgc * (0.5 + linear_gain)) * cs))
  end
  local function arr(v, arg, name)
    if core.isarray(v) then return core.array(v, "float32") end
    return A.number(v, fn, arg, name)
  end
  local ts, lg, ag = arr(time_step, 1, "time_step"), arr(linear_gain, 2, "linear_gain"),
    arr(ang_gain, 3, "ang_gain")
  local t = core.isarray(ts) and ts * f32(dt) or core.array({f32(ts * dt)}, "float32")
  local ph = (t % f32(cyc)) / f32(cyc) * 2 * f32(math.pi) - f32(math.pi)
  local cs = ph:cos()
  return ph, (ag + 0.5) * shd * cs + 1, (lg + 0.5) * sgc * cs + 1
end

--- Head-direction ring with adaptation (upstream `DirectionCellNetwork`:
-- `num` (required), tau 10, tau_v 100, noise_strength 0.1, k 0.2,
-- adaptation_strength 15, a 0.7, A 3, J0 1, g 1, z_min -pi, z_max pi,
-- conn_noise 0).  Inputs `head_direction` and `theta_input` (one number
-- each per step); states `r`, `u`, `v`, `center`, `centerI`, `x`,
-- `conn_mat`; parameter `m = adaptation_strength tau / tau_v`.
-- @function DirectionCellNetwork
M.DirectionCellNetwork = constructor "DirectionCellNetwork"

--- Twisted-torus grid module with conjunctive input (upstream
-- `GridCellNetwork`: num_dc 100, num_gc_x 100, tau 10, tau_v 100,
-- noise_strength 0.1, conn_noise 0, k 1, adaptation_strength 15, a 0.8,
-- A 3, J0 5, g 1000, mapping_ratio 1, phase_offset 1/20; and
-- `method = "auto" | "dense" | "fft"`).  Inputs `animal_position` (2),
-- `direction_activity` (num_dc) and `theta_modulation`; states `r`, `u`,
-- `v`, `gc_bump`, `conj_input`, `center_phase`, `center_position` and the
-- sheet's geometry (`value_grid`, `candidate_centers`, ...).
-- @function GridCellNetwork
M.GridCellNetwork = constructor "GridCellNetwork"

-- wrap once into [-pi, pi] (float32), shared with GridCell2DPosition
local wrap_once = grid_cell.position_methods.handle_periodic_condition

--- DirectionCellNetwork methods.
-- @section direction
local D = {}

--- The Gaussian input bump (num,) centred at `head_direction`.
function D.input_bump(self, head_direction) return core.dcn_input_bump(self, head_direction) end

--- Angle differences wrapped once and then by the feature range.
function D.calculate_dist(self, d) return core.dcn_calculate_dist(self, d) end

--- The connection matrix without connection noise (upstream `make_connection`).
function D.make_connection(self) return core.theta_make_connection(self) end

--- Wrap angles once into [-pi, pi] (float32).
function D.handle_periodic_condition(self, d) return wrap_once(self, d) end

--- Population-vector decoding: `angle(sum exp(i x) r)` as a (1,) array
-- (upstream's static `get_bump_center(r, x)`; `x` defaults to the model's).
function D.get_bump_center(self, r, x)
  local fn = "get_bump_center"
  r = A.array(r, fn, 1, "r", {convert = true})
  x = x == nil and self.x or A.array(x, fn, 2, "x", {convert = true})
  if r:size() ~= x:size() then
    A.fail(fn, 1, "r", "must have as many values as x (%d), got %s", x:size(), A.describe(r))
  end
  r, x = core.array(r, "float32"), core.array(x, "float32")
  local re, im = (x:cos() * r):sum(), (x:sin() * r):sum()
  return core.array({f32(math.atan(f32(im), f32(re)))}, "float32")
end

--- GridCellNetwork methods.
-- @section grid
local G = {}

--- The connection matrix (num, num) without connection noise.
function G.make_connection(self) return core.theta_make_connection(self) end

--- Hexagonal distance of phase differences `d` (..., 2).
function G.calculate_dist(self, d) return core.gcp_calculate_dist(self, d) end

--- Wrap phases once into [-pi, pi] (float32).
function G.handle_periodic_condition(self, d) return wrap_once(self, d) end

--- The 32 x 32 candidate bump centres for spacing `Lambda`, through Tinv.
G.make_candidate_centers = grid_cell.position_methods.make_candidate_centers

--- Phase of a real-space position (2,) or positions (2, K).
function G.position2phase(self, position) return core.gcp_position2phase(self, position) end

--- `center_phase, center_position, gc_bump` of an activity (num,) near an
-- animal position (2,).
function G.get_unique_activity_bump(self, network_activity, animal_position)
  return core.gcp_unique_bump(self, network_activity, animal_position)
end

--- The conjunctive input (num,) for an animal position (2,), the direction
-- cells' rates (num_dc,) and a theta gain.
function G.calculate_input_from_conjgc(self, animal_pos, direction_activity, theta_modulation)
  return core.gcn_conj_input(self, animal_pos, direction_activity, theta_modulation)
end

local G_attrs = {
  method = function(self) return core.gcn_method(self) end,
  -- the fft method keeps no matrix: build it on request
  conn_mat = function(self) return core.theta_make_connection(self) end,
}
function G.__index(self, k)
  local f = G_attrs[k]
  return f and f(self) or nil
end

-- what a place-cell network was built from, by model (weak keys)
local place_extra = setmetatable({}, {__mode = "k"})
local PLACE_KEYS = {"geodesic_result", "tau", "tau_v", "noise_strength", "k", "m", "a", "A", "J0",
                    "g", "conn_noise"}

--- Place cells coupled by geodesic distance (upstream `PlaceCellNetwork`:
-- `geodesic_result` (required, from a navigation task's
-- `compute_geodesic_distance_matrix()`), tau 10, tau_v 100,
-- noise_strength 0, k 0.2, m 3, a 0.2, A 5, J0 1, g 1, conn_noise 0).
-- Called as `PlaceCellNetwork(geodesic_result, {tau = 3, ...})` or
-- `PlaceCellNetwork{geodesic_result = g, tau = 3, ...}`.  Inputs
-- `animal_pos` (2) and `theta_input`; states `r`, `u`, `v`, `center`, `x`,
-- `D`, `conn_mat`; attributes `geodesic_result`, `cost_grid`,
-- `accessible_indices`, `cell_num`, `dx`, `dy`.
-- @param geodesic_result `{distances, accessible_indices, cost_grid}`
-- @tparam[opt] table opts keyword arguments
-- @function PlaceCellNetwork
function M.PlaceCellNetwork(geodesic_result, opts)
  local fn = "PlaceCellNetwork"
  if type(geodesic_result) == "table" and opts == nil and geodesic_result.distances == nil then
    local o = A.options(geodesic_result, fn, PLACE_KEYS)
    geodesic_result, opts = o.geodesic_result, {}
    for k, v in pairs(o) do if k ~= "geodesic_result" then opts[k] = v end end
  end
  if geodesic_result == nil then
    A.fail(fn, 1, "geodesic_result", "is required (from a navigation task's " ..
           "compute_geodesic_distance_matrix())")
  end
  A.table(geodesic_result, fn, 1, "geodesic_result")
  if geodesic_result.distances == nil or geodesic_result.cost_grid == nil then
    A.fail(fn, 1, "geodesic_result", "must have distances and cost_grid, got %s",
           A.describe(geodesic_result))
  end
  opts = A.options(opts, fn, PLACE_KEYS)
  local m = core.pcn_new(geodesic_result.distances, geodesic_result.cost_grid, opts)
  place_extra[m] = geodesic_result
  return m
end

--- The direction -> grid chain as one model (a canns extension; upstream
-- steps the two networks in turn in its own loop): each step updates
-- `direction` with `head_direction` and `theta_input`, then `grid` with
-- `animal_position`, the direction rates and `theta_modulation`.  The two
-- networks are its parts (`chain.direction`, `chain.grid`: the models
-- given), so `canns.run(chain, {head_direction = hd, theta_input = mhd,
-- animal_position = pos, theta_modulation = mgc}, {record =
-- {"grid.center_position", "direction.r"}})` runs the whole chain in C.
-- @param direction a DirectionCellNetwork
-- @param grid a GridCellNetwork with num_dc equal to its number of cells
function M.ThetaSweepChain(direction, grid) return core.theta_chain_new(direction, grid) end

--- PlaceCellNetwork methods.
-- @section place
local P = {}

--- The Gaussian input (cell_num,) around the cell holding `animal_pos`
-- (zeros off the free cells).
function P.input_bump(self, animal_pos) return core.pcn_input_bump(self, animal_pos) end

--- The 0-based row of the distances for the cell holding `pos`, or -1
-- (upstream's `get_cell_index`, one row too high, as upstream).
function P.get_geodesic_index_by_pos(self, pos) return core.pcn_cell_index(self, pos) end

--- The connection matrix without connection noise.
function P.make_connection(self) return core.theta_make_connection(self) end

--- `sum r x / (sum r + 1e-12)` as a (1,) array (`x` defaults to the model's).
function P.get_bump_center(self, r, x)
  local fn = "get_bump_center"
  r = core.array(A.array(r, fn, 1, "r", {convert = true}), "float32")
  x = x == nil and self.x or core.array(A.array(x, fn, 2, "x", {convert = true}), "float32")
  if r:size() ~= x:size() then
    A.fail(fn, 1, "r", "must have as many values as x (%d), got %s", x:size(), A.describe(r))
  end
  return core.array({f32((r * x):sum() / f32(r:sum() + f32(1e-12)))}, "float32")
end

local P_attrs = {
  geodesic_result = function(self) return place_extra[self] end,
  cost_grid = function(self) return place_extra[self] and place_extra[self].cost_grid end,
  accessible_indices = function(self)
    return place_extra[self] and place_extra[self].accessible_indices
  end,
}
function P.__index(self, k)
  local f = P_attrs[k]
  return f and f(self) or nil
end

core.set_class_methods("DirectionCellNetwork", D)
core.set_class_methods("GridCellNetwork", G)
core.set_class_methods("PlaceCellNetwork", P)
M.direction_methods, M.grid_methods, M.place_methods = D, G, P
--- The names `canns.models` re-exports.
M.exports = {calculate_theta_modulation = M.calculate_theta_modulation,
             DirectionCellNetwork = M.DirectionCellNetwork, GridCellNetwork = M.GridCellNetwork,
             PlaceCellNetwork = M.PlaceCellNetwork, ThetaSweepChain = M.ThetaSweepChain}
return M
