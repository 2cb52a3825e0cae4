--- Grid-cell sheets (upstream `canns.models.basic.grid_cell`): the methods
-- of `GridCell2DVelocity` and `GridCell2DPosition` beyond the common
-- `update`, `reset`, `state_names`, ... .  Loaded by `canns.models`.
--
--     local gc = canns.models.GridCell2DVelocity{length = 40}
--     gc:heal_network{dt_healing = 1e-4}
--     local out = canns.run(gc, {velocity = v}, {record = {"r"}})
--
-- @module canns.models.grid_cell

local core = require "canns.core"
local A = require "canns.argcheck"

local M = {}

-- round a Lua number to float32
local function f32(x) return (string.unpack("f", string.pack("f", x))) end

--- GridCell2DVelocity methods.
-- @section velocity
local V = {}

--- The dense connection matrix (num, num), as upstream's `make_connection`.
function V.make_connection(self) return core.gcv_conn_mat(self) end

--- `B(v) = A (1 + alpha vec_pref . v)` for a 2-vector velocity.
function V.compute_velocity_input(self, velocity)
  return core.gcv_velocity_input(self, velocity)
end

--- upstream `heal_network(num_healing_steps=2500, dt_healing=1e-4)`: relax,
-- move in four directions, relax (global dt set to `dt_healing` meanwhile).
-- `num_healing_steps` is accepted and, as upstream, unused.
function V.heal_network(self, num_healing_steps, dt_healing)
  local fn = "heal_network"
  local a1, a2 = 1, 2
  if type(num_healing_steps) == "table" then
    local o = A.options(num_healing_steps, fn, {"num_healing_steps", "dt_healing"})
    num_healing_steps, dt_healing = o.num_healing_steps, o.dt_healing
    a1, a2 = "num_healing_steps", "dt_healing"
  end
  A.int(num_healing_steps, fn, a1, "num_healing_steps", {default = 2500, min = 0})
  dt_healing = A.number(dt_healing, fn, a2, "dt_healing", {default = 1e-4, gt = 0})
  core.gcv_heal(self, dt_healing)
end

--- Wrap position differences into [-length/2, length/2] (once per side).
function V.handle_periodic_condition(self, d)
  local L = self.length
  local a = A.array(d, "handle_periodic_condition", 1, "d", {convert = true})
  a = core.array(a, "float32")
  local n = a:size()
  local f = a:flatten()
  for i = 1, n do
    local x = f[i]
    if x > L / 2 then x = f32(x - L) end
    if x < -L / 2 then x = f32(x + L) end
    f[i] = x
  end
  return a
end

--- upstream `decode_position_lsq(activity_history, velocity_history)`: the
-- integrated velocity (p_1 = v_1 dt, p_t = p_{t-1} + v_t dt, float32) and
-- R^2 = 1.0, as upstream (the activity is not used).
function V.decode_position_lsq(self, activity_history, velocity_history)
  local fn = "decode_position_lsq"
  local v = A.array(velocity_history, fn, 2, "velocity_history", {convert = true, shape = {-1, 2}})
  local sh = v:shape()
  local dt = core.get_dt()
  local out = core.zeros(sh, "float32")
  local px, py = 0.0, 0.0
  for t = 1, sh[1] do
    px = f32(px + f32(v[{t, 1}] * dt))
    py = f32(py + f32(v[{t, 2}] * dt))
    out[{t, 1}], out[{t, 2}] = px, py
  end
  return out, 1.0
end

--- upstream `decode_position_from_activity(activity)`: the argmax neuron's
-- lattice position scaled to a 2.2 box (upstream's placeholder decoder).
function V.decode_position_from_activity(self, activity)
  local fn = "decode_position_from_activity"
  local a = A.array(activity, fn, 1, "activity", {convert = true})
  local L = self.length
  if a:size() ~= L * L then A.fail(fn, 1, "activity", "must have %d values, got %s", L * L, A.describe(activity)) end
  local f, k, best = a:flatten(), 0, -math.huge
  for i = 1, L * L do
    if f[i] > best then best, k = f[i], i - 1 end
  end
  return core.array({(k % L) / L * 2.2, (k // L) / L * 2.2}, "float64")
end

local V_attrs = {
  conn_mat = function(self) return core.gcv_conn_mat(self) end,
  method = function(self) return core.gcv_method(self) end,
}
function V.__index(self, k)
  local f = V_attrs[k]
  return f and f(self) or nil
end

--- GridCell2DPosition methods.
-- @section position
local P = {}

--- The kernel matrix without connection noise (upstream `make_connection`).
function P.make_connection(self) return core.gcp_make_connection(self) end

--- Hexagonal distance of phase differences `d` (..., 2).
function P.calculate_dist(self, d) return core.gcp_calculate_dist(self, d) end

--- Wrap phases once into [-pi, pi] (float32, as upstream).
function P.handle_periodic_condition(self, d)
  local a = A.array(d, "handle_periodic_condition", 1, "d", {convert = true})
  a = core.array(a, "float32")
  local f = a:flatten()
  local pi, two_pi = f32(math.pi), f32(2 * math.pi)
  for i = 1, a:size() do
    local x = f[i]
    if x > pi then x = f32(x - two_pi) end
    if x < -pi then x = f32(x + two_pi) end
    f[i] = x
  end
  return a
end

--- The 32 x 32 candidate bump centres for spacing `Lambda`, through Tinv.
function P.make_candidate_centers(self, Lambda)
  A.number(Lambda, "make_candidate_centers", 1, "Lambda")
  local Ti = self.coor_transform_inv
  local t00, t01, t10, t11 = Ti[{1, 1}], Ti[{1, 2}], Ti[{2, 1}], Ti[{2, 2}]
  local out = core.zeros({1024, 2}, "float32")
  for i = 0, 31 do
    for j = 0, 31 do
      local a0, a1 = f32((i - 16) * Lambda), f32((j - 16) * Lambda)
      local k = i * 32 + j + 1
      out[{k, 1}] = f32(f32(t00 * a0) + f32(t01 * a1))
      out[{k, 2}] = f32(f32(t10 * a0) + f32(t11 * a1))
    end
  end
  return out
end

--- Phase of a real-space position (2,) or positions (2, K).
function P.position2phase(self, position) return core.gcp_position2phase(self, position) end

--- `center_phase, center_position, bump` of an activity (num,) near an
-- animal position (2,).
function P.get_unique_activity_bump(self, network_activity, animal_position)
  return core.gcp_unique_bump(self, network_activity, animal_position)
end

--- The external input (num,) at a 2-D position.
function P.get_stimulus_by_pos(self, position) return core.gcp_stimulus(self, position) end

local P_attrs = {
  method = function(self) return core.gcp_method(self) end,
  -- the fft method keeps no matrix (and has no connection noise): build it on request
  conn_mat = function(self) return core.gcp_make_connection(self) end,
}
function P.__index(self, k)
  local f = P_attrs[k]
  return f and f(self) or nil
end

--- Bump centres of a velocity sheet's activity, frame by frame (upstream's
-- static `GridCell2DVelocity.track_blob_centers(activities, length)`):
-- each frame smoothed (Gaussian, sigma 1), thresholded at mean + 0.5 std,
-- split into 4-connected blobs; the centre of mass of the blob nearest
-- `(length/2, length/2)`, as `(x = column, y = row)` in neurons.  In C
-- (the gallery's 2-D decoder, `canns.pipeline.gallery.decode_cann2d_centers`).
-- @tparam array activities `(T, length^2)`
-- @int length the sheet's side
-- @treturn array `(T, 2)` float64
function M.track_blob_centers(activities, length)
  local fn = "track_blob_centers"
  local a = A.array(activities, fn, 1, "activities", {convert = true, ndim = 2, min_size = 1})
  length = A.count(length, fn, 2, "length", {min = 1, max = 4096})
  local T = a:shape()[1]
  if a:shape()[2] ~= length * length then
    A.fail(fn, 1, "activities", "must have length^2 = %d columns, got %s", length * length,
           A.describe(a))
  end
  return core.decode_cann2d_centers(a:reshape({T, length, length}))
end

--- `gc:track_blob_centers(activities [, length])`: the same, `length`
-- defaulting to the sheet's.
function V.track_blob_centers(self, activities, length)
  return M.track_blob_centers(activities, length or self.length)
end

core.set_class_methods("GridCell2DVelocity", V)
core.set_class_methods("GridCell2DPosition", P)
M.velocity_methods, M.position_methods = V, P
return M
