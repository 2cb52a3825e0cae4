--- Closed-loop navigation tasks (upstream
-- `canns.task.closed_loop_navigation`): the position is driven from
-- outside, one forced step at a time (`step_by_pos`); the environment, the
-- movement-cost grid and the geodesic distances are those of
-- canns.task.navigation_base.
-- @module canns.task.closed_loop

local A = require "canns.argcheck"
local B = require "canns.task.navigation_base"
local open = require "canns.task.open_loop"

local M = {}

local Closed = B.class("ClosedLoopNavigationTask", B.BaseNavigationTask)
M.ClosedLoopNavigationTaskClass = Closed

local CLOSED_KEYS = {}
for _, k in ipairs(B.BASE_KEYS) do
  if k ~= "rng_seed" and k ~= "initial_head_direction" then CLOSED_KEYS[#CLOSED_KEYS + 1] = k end
end

local function closed_init(self, name, o)
  B.init(self, name, o)
  self.agent:update{forced_next_position = self.agent.pos, dt = self.dt}
  self.total_steps = 1
  return self
end

--- `ClosedLoopNavigationTask{...}`: the keywords of every navigation task
-- except rng_seed (upstream seeds the agent from the OS; here from the
-- canns.random generator) and initial_head_direction.  After construction
-- the agent has taken one forced step to its own position.
function M.ClosedLoopNavigationTask(o)
  local name = "ClosedLoopNavigationTask"
  o = A.options(o, name, CLOSED_KEYS)
  return closed_init(setmetatable({}, Closed), name, o)
end

--- One forced step to `pos` (projected into the environment) with the
-- task's dt.
function Closed:step_by_pos(pos)
  self.agent:update{forced_next_position = B.point(pos, "step_by_pos", "new_pos"), dt = self.dt}
end

function Closed:get_data()
  A.error(self.name, "get_data is not implemented for closed-loop tasks (upstream raises " ..
          "NotImplementedError); drive the agent with step_by_pos")
end

--- `TMazeClosedLoopNavigationTask{w = 0.3, l_s = 1.0, l_arm = 0.75, t =
-- 0.3, start_pos = {0, 0.15}, dt, ...}`.
function M.TMazeClosedLoopNavigationTask(o)
  local name = "TMazeClosedLoopNavigationTask"
  local kw, maze = open.tmaze_kwargs(name, o, false, open.maze_keys(false, CLOSED_KEYS))
  local self = closed_init(setmetatable({}, Closed), name, kw)
  for k, v in pairs(maze) do self[k] = v end
  return self
end

--- `TMazeRecessClosedLoopNavigationTask{..., recess_width, recess_depth}`.
function M.TMazeRecessClosedLoopNavigationTask(o)
  local name = "TMazeRecessClosedLoopNavigationTask"
  local kw, maze = open.tmaze_kwargs(name, o, true, open.maze_keys(true, CLOSED_KEYS))
  local self = closed_init(setmetatable({}, Closed), name, kw)
  for k, v in pairs(maze) do self[k] = v end
  return self
end

return M
