--- Tracking tasks: input sequences for CANNs (upstream `canns.task.tracking`).
--
--     local task = canns.task.SmoothTracking1D{cann_instance = cann,
--       Iext = {0, 0.5, 1, 1.5}, duration = {5, 5, 5}, time_step = canns.get_dt()}
--     task:get_data()
--     -- task.data: (T, model shape) stimuli; task.Iext_sequence: (T, ndim)
--     -- positions (float64); task.run_steps: (T,) times; task.total_steps
--
-- Step counts and positions follow the Python toolkit to the bit: the
-- total is ceil(sum(duration) / time_step) steps, a segment of duration d
-- gets int(d / time_step) rows, segments are numpy.linspace with both ends,
-- and leftover rows repeat the last key point.  `time_step` defaults to 0.1
-- (it does not read the global dt, as upstream).  The data have the model's
-- dtype (float32 unless the model is float64).
--
-- Any model works as `cann_instance`: a C model (the stimuli are computed
-- in C), or a Lua table with `shape` (a table of extents) and a
-- `get_stimulus_by_pos(self, pos)` method returning an array (called once
-- per row).
-- @module canns.task.tracking

local core = require "canns.core"

local M = {}

-- --------------------------------------------------------------- helpers
-- Arguments are checked with canns.argcheck (the shared checker); the
-- messages name keyword arguments as "argument 'Iext'", as upstream's
-- constructors name them.

local A = require "canns.argcheck"
local describe, fail = A.describe, A.error

local function check_fields(name, o, allowed)
  if type(o) ~= "table" or core.isarray(o) then
    fail(name, "expects one table of keyword arguments, got %s", describe(o))
  end
  A.options(o, name, allowed)
end

local function is_sequence(t)
  return (type(t) == "table" and getmetatable(t) == nil) or core.isarray(t)
end

local function check_model(name, m)
  if m == nil then fail(name, "argument 'cann_instance' is required (a model)") end
  if core.ismodel(m) then return end
  if type(m) == "table" and type(m.get_stimulus_by_pos) == "function"
     and type(m.shape) == "table" then
    return
  end
  fail(name, "argument 'cann_instance' must be a model with get_stimulus_by_pos and shape, got %s",
       describe(m))
end

local function check_dt(name, dt)
  if type(dt) ~= "number" or dt ~= dt or dt <= 0 or dt == math.huge then
    fail(name, "argument 'time_step' must be a finite number > 0, got %s", describe(dt))
  end
  return dt
end

local function check_number(name, key, v)
  return A.number(v, name, nil, "argument '" .. key .. "'", {inf = true})
end

-- A position argument: a number (ndim 1) or a point {x, y} (ndim 2); a
-- 1-D array of ndim numbers (or a one-element array in 1-D) is read as
-- the same point.  Returns a number (1-D) or a fresh list of numbers.
local function check_point(name, key, v, ndim)
  if core.isarray(v) then
    if v:ndim() > 1 or v:size() ~= ndim then
      fail(name, "argument '%s' must be a point of %d number%s%s, got %s", key, ndim,
           ndim == 1 and "" or "s", ndim == 1 and "" or " {x, y}", describe(v))
    end
    v = v:ndim() == 0 and {v:item()} or v:astype("float64"):totable()
    if ndim == 1 then v = v[1] end
  end
  if ndim == 1 then return check_number(name, key, v) end
  if type(v) ~= "table" or getmetatable(v) ~= nil or #v ~= ndim then
    fail(name, "argument '%s' must be a point of %d numbers {x, y}, got %s", key, ndim, describe(v))
  end
  local p = {}
  for i = 1, ndim do p[i] = check_number(name, key, v[i]) end
  return p
end

-- The key points of a smooth task: a list of points (numbers in 1-D,
-- {x, y} tables or 1-D arrays in 2-D), or an array with one row per key
-- point ((K,) or (K, 1) in 1-D, (K, 2) in 2-D).  Returns a Lua list.
local function key_points(name, v, ndim)
  if core.isarray(v) then
    local s = v:shape()
    local ok = (ndim == 1 and (#s == 1 or (#s == 2 and s[2] == 1))) or (#s == 2 and s[2] == ndim)
    if not ok then
      fail(name, "argument 'Iext' must be an array of key points of shape {K%s}, got %s",
           ndim == 1 and "" or ", " .. ndim, describe(v))
    end
    local t = v:astype("float64"):totable()
    if ndim == 1 and #s == 2 then
      for i = 1, #t do t[i] = t[i][1] end
    end
    v = t
  end
  if not is_sequence(v) then
    fail(name, "argument 'Iext' must be a table of key points, got %s", describe(v))
  end
  local out = {}
  for i = 1, #v do out[i] = check_point(name, "Iext[" .. i .. "]", v[i], ndim) end
  return out
end

-- Segment durations: a list of numbers or a 1-D array (as a list).
local function durations(name, v)
  if core.isarray(v) then
    if v:ndim() ~= 1 then
      fail(name, "argument 'duration' must be a table of segment durations, got %s", describe(v))
    end
    return v:astype("float64"):totable()
  end
  return v
end

-- int() of Python: truncation toward zero.
local function trunc(x) return x >= 0 and math.floor(x) or math.ceil(x) end

local function copy_shape(m)
  local s = {}
  for i, v in ipairs(m.shape) do s[i] = v end
  return s
end

-- Stimuli for every row of a (T, ndim) position array.
local function stimuli(self, positions)
  local m = self.cann_instance
  if core.ismodel(m) then return core.task_stimuli(self.name, m, positions) end
  local T = positions:shape()[1]
  local shape = { T }
  for _, v in ipairs(self.shape) do shape[#shape + 1] = v end
  local data = core.zeros(shape)
  for k = 1, T do
    local p = positions[k]
    local pos = self.ndim == 1 and p[1] or p:totable()
    data[k]:assign(m:get_stimulus_by_pos(pos))
  end
  return data
end

-- ------------------------------------------------------------ base class

--- Common fields and methods of every tracking task.
-- Fields: `cann_instance`, `Iext`, `duration`, `time_step`, `ndim`,
-- `shape`, `total_duration`, `total_steps`, `run_steps`, and after
-- `get_data()`: `data` and `Iext_sequence`.
-- @type TrackingTask
local TrackingTask = {}
TrackingTask.__index = TrackingTask
M.TrackingTask = TrackingTask

local function tracking_init(cls, name, ndim, o, Iext, duration)
  local self = setmetatable({}, cls)
  self.name = name
  check_model(name, o.cann_instance)
  self.cann_instance = o.cann_instance
  self.ndim = ndim
  self.time_step = check_dt(name, o.time_step == nil and 0.1 or o.time_step)
  self.Iext = Iext
  self.duration = duration
  self.shape = copy_shape(o.cann_instance)
  self.total_duration = core.task_sum(name, duration)
  self.total_steps = core.task_total_steps(name, duration, self.time_step)
  self.run_steps = core.task_run_steps(name, self.total_steps, self.time_step)
  self.data = nil
  return self
end

--- Write `data` to a compressed `.npz` with one member `data`; parent
-- folders are created as needed (as upstream does).
-- @string path file name
function TrackingTask:save_data(path)
  if self.data == nil then fail(self.name, "save_data: no data (call get_data() first)") end
  local dir = type(path) == "string" and path:match("^(.*)/[^/]*$")
  if dir and dir ~= "" then core.mkdir(dir) end
  require("canns.io").save_npz(path, { data = self.data })
end

--- Read `data` back from an `.npz` written by save_data (or numpy).
-- @string path file name
function TrackingTask:load_data(path)
  local t = require("canns.io").load_npz(path)
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  if n == 1 and t.data then self.data = t.data else self.data = t end
end

--- Tracking tasks draw no figures (as upstream).
function TrackingTask:show_data()
  fail(self.name, "show_data is not implemented for tracking tasks")
end

local function class(name, parent)
  local c = setmetatable({}, { __index = parent })
  c.__index = c
  c.__name = name
  return c
end

-- ------------------------------------------------------- SmoothTracking

local function smooth(name, ndim)
  local cls = class(name, TrackingTask)
  local allowed = { "cann_instance", "Iext", "duration", "time_step" }
  return cls, function(o)
    check_fields(name, o, allowed)
    local Iext = key_points(name, o.Iext, ndim)
    local dur = durations(name, o.duration)
    if not is_sequence(dur) then
      fail(name, "argument 'duration' must be a table of segment durations, got %s",
           describe(o.duration))
    end
    if #Iext ~= #dur + 1 then
      fail(name, "argument 'Iext' must have one more key point than 'duration' has segments " ..
           "(got %d key points and %d durations)", #Iext, #dur)
    end
    local self = tracking_init(cls, name, ndim, o, Iext, dur)
    return self
  end
end

local function smooth_get_data(self)
  self.Iext_sequence = core.task_smooth_positions(self.name, self.ndim, self.Iext,
                                                  self.duration, self.time_step)
  self.data = stimuli(self, self.Iext_sequence)
  return self.data
end

local SmoothTracking1D, new_st1 = smooth("SmoothTracking1D", 1)
local SmoothTracking2D, new_st2 = smooth("SmoothTracking2D", 2)
SmoothTracking1D.get_data = smooth_get_data
SmoothTracking2D.get_data = smooth_get_data

--- Smoothly moving input: key points `Iext` (one more than `duration`),
-- linear interpolation over each segment.
-- @tparam table o `{cann_instance, Iext, duration, time_step = 0.1}`
-- @function SmoothTracking1D
M.SmoothTracking1D = new_st1
--- As SmoothTracking1D with key points `{x, y}`; each coordinate is
-- interpolated independently.
-- @function SmoothTracking2D
M.SmoothTracking2D = new_st2

-- ------------------------------------------------------ PopulationCoding

local function population(name, ndim)
  local cls = class(name, TrackingTask)
  local allowed = { "cann_instance", "before_duration", "after_duration", "Iext", "duration",
                    "time_step" }
  cls.get_data = function(self)
    local I = self.stim_pos
    self.Iext_sequence = core.task_step_positions(self.name, self.ndim, { I, I, I },
                                                  self.duration, self.time_step)
    local dt = self.time_step
    local start = trunc(self.before_duration / dt)
    local stop = trunc((self.total_duration - self.after_duration) / dt)
    local m = self.cann_instance
    if core.ismodel(m) then
      self.data = core.task_population_data(self.name, m, I, self.total_steps, start, stop)
    else
      if start >= self.total_steps then
        fail(self.name, "the stimulus would start at step %d but the task has only %d steps",
             start, self.total_steps)
      end
      local shape = { self.total_steps }
      for _, v in ipairs(self.shape) do shape[#shape + 1] = v end
      self.data = core.zeros(shape)
      local s = m:get_stimulus_by_pos(I)
      for k = start + 1, math.min(stop, self.total_steps) do self.data[k]:assign(s) end
    end
    return self.data
  end
  return cls, function(o)
    check_fields(name, o, allowed)
    local b = check_number(name, "before_duration", o.before_duration)
    local a = check_number(name, "after_duration", o.after_duration)
    local d = check_number(name, "duration", o.duration)
    if o.Iext == nil then fail(name, "argument 'Iext' is required") end
    local I = check_point(name, "Iext", o.Iext, ndim)
    local self = tracking_init(cls, name, ndim, o, { I, I, I }, { b, d, a })
    self.before_duration, self.after_duration, self.stim_pos = b, a, I
    return self
  end
end

local _, new_pc1 = population("PopulationCoding1D", 1)
local _, new_pc2 = population("PopulationCoding2D", 2)
--- No input for `before_duration`, the stimulus at `Iext` for `duration`,
-- no input for `after_duration` (memory of a bump).
-- @tparam table o `{cann_instance, before_duration, after_duration, Iext, duration, time_step = 0.1}`
-- @function PopulationCoding1D
M.PopulationCoding1D = new_pc1
--- As PopulationCoding1D with `Iext = {x, y}`.
-- @function PopulationCoding2D
M.PopulationCoding2D = new_pc2

-- ------------------------------------------------------ TemplateMatching

local function template(name, ndim)
  local cls = class(name, TrackingTask)
  local allowed = { "cann_instance", "Iext", "duration", "time_step", "noise_level" }
  cls.get_data = function(self)
    local I = self.stim_pos
    self.Iext_sequence = core.task_step_positions(self.name, self.ndim, { I }, self.duration,
                                                  self.time_step)
    local m = self.cann_instance
    if core.ismodel(m) then
      self.data = core.task_template_data(self.name, m, I, self.total_steps, self.noise_level,
                                          self.A)
    else
      local rows = stimuli(self, self.Iext_sequence)
      local noise = core.random.normal(rows:shape(), 0, self.noise_level * self.A, rows:dtype())
      self.data = rows + noise
    end
    return self.data
  end
  return cls, function(o)
    check_fields(name, o, allowed)
    local noise = o.noise_level == nil and 0.1 or o.noise_level
    if type(noise) ~= "number" then
      fail(name, "argument 'noise_level' must be a finite, non-negative number, got %s",
           describe(noise))
    end
    if noise ~= noise or noise < 0 or noise == math.huge then
      fail(name, "argument 'noise_level' must be a finite, non-negative number, got %s",
           noise ~= noise and "nan" or tostring(noise))
    end
    local d = check_number(name, "duration", o.duration)
    if o.Iext == nil then fail(name, "argument 'Iext' is required") end
    local I = check_point(name, "Iext", o.Iext, ndim)
    local self = tracking_init(cls, name, ndim, o, { I }, { d })
    self.stim_pos, self.noise_level = I, noise
    self.A = o.cann_instance.A
    if type(self.A) ~= "number" then
      fail(name, "the model has no amplitude 'A' (needed to scale the noise)")
    end
    return self
  end
end

local _, new_tm1 = template("TemplateMatching1D", 1)
local _, new_tm2 = template("TemplateMatching2D", 2)
--- The stimulus at `Iext` plus Gaussian noise of s.d. `noise_level * A`
-- on every step (drawn from canns.random, seed it for reproducibility).
-- @tparam table o `{cann_instance, Iext, duration, time_step = 0.1, noise_level = 0.1}`
-- @function TemplateMatching1D
M.TemplateMatching1D = new_tm1
--- As TemplateMatching1D with `Iext = {x, y}`.
-- @function TemplateMatching2D
M.TemplateMatching2D = new_tm2

-- ------------------------------------------------------- CustomTracking

local function custom(name, ndim)
  local cls = class(name, TrackingTask)
  local allowed = { "cann_instance", "positions", "duration", "time_step", "Iext" }

  --- The position sequence of a custom task: override this method in a
  -- subclass, or pass `positions`.  Returns a (T, ndim) float64 array.
  cls.make_Iext_sequence = function(self)
    local p, T = self.positions, self.total_steps
    if p == nil then
      fail(self.name, "give 'positions' (a function, array or table) or override make_Iext_sequence")
    end
    local seq = core.zeros({ T, ndim }, "float64")
    if type(p) == "function" then
      for k = 1, T do
        local v = p((k - 1) * self.time_step, k)
        v = check_point(self.name, "positions(t)", v, ndim)
        if ndim == 1 then seq[{ k, 1 }] = v else for d = 1, ndim do seq[{ k, d }] = v[d] end end
      end
      return seq
    end
    local a = core.isarray(p) and p or core.array(p, "float64")
    local want = ndim == 1 and (a:ndim() == 1 or (a:ndim() == 2 and a:shape()[2] == 1))
                 or (a:ndim() == 2 and a:shape()[2] == ndim)
    if not want or a:shape()[1] ~= T then
      fail(self.name, "argument 'positions' must have %d rows of %d coordinate%s, got shape {%s}",
           T, ndim, ndim == 1 and "" or "s", table.concat(a:shape(), ","))
    end
    return a:reshape({ T, ndim }):astype("float64")
  end
  cls.get_data = function(self)
    self.Iext_sequence = self:make_Iext_sequence()
    self.data = stimuli(self, self.Iext_sequence)
    return self.data
  end
  return cls, function(o)
    check_fields(name, o, allowed)
    local dur = o.duration
    local p = o.positions
    if dur == nil then
      local dt = check_dt(name, o.time_step == nil and 0.1 or o.time_step)
      if core.isarray(p) then
        dur = { p:shape()[1] * dt }
      elseif type(p) == "table" then
        dur = { #p * dt }
      else
        fail(name, "argument 'duration' is required (or give 'positions' as an array)")
      end
    elseif type(dur) == "number" then
      dur = { dur }
    end
    dur = durations(name, dur)
    if not is_sequence(dur) then
      fail(name, "argument 'duration' must be a number or a table of numbers, got %s", describe(dur))
    end
    if p ~= nil and type(p) ~= "function" and type(p) ~= "table" and not core.isarray(p) then
      fail(name, "argument 'positions' must be a function, an array or a table, got %s", describe(p))
    end
    local self = tracking_init(cls, name, ndim, o, o.Iext or {}, dur)
    self.positions = p
    if o.duration == nil then
      -- the rows given are the sequence: keep their count exactly
      self.total_steps = core.isarray(p) and p:shape()[1] or #p
      self.run_steps = core.task_run_steps(name, self.total_steps, self.time_step)
    end
    return self
  end
end

local CustomTracking1D, new_ct1 = custom("CustomTracking1D", 1)
local CustomTracking2D, new_ct2 = custom("CustomTracking2D", 2)
--- A tracking task with user positions: `positions` is a function
-- `f(t, k)` returning the position at time t (step k, from 1), an array of
-- T positions, or a table of them; or subclass `CustomTracking1D.class`
-- and override `make_Iext_sequence`.
-- @tparam table o `{cann_instance, positions, duration, time_step = 0.1}`
-- @function CustomTracking1D
M.CustomTracking1D = new_ct1
--- As CustomTracking1D with positions `{x, y}`.
-- @function CustomTracking2D
M.CustomTracking2D = new_ct2

--- The classes (metatables), for subclassing and `getmetatable(task)`.
M.classes = {
  SmoothTracking1D = SmoothTracking1D, SmoothTracking2D = SmoothTracking2D,
  CustomTracking1D = CustomTracking1D, CustomTracking2D = CustomTracking2D,
}

return M
