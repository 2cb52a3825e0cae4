--- Training over several epochs (a canns addition; upstream's `Trainer`
-- has one `train(data)` pass and leaves the loop to the caller): a
-- learning-rate schedule, callbacks after every epoch, early stopping on a
-- monitored quantity and a progress bar, around any trainer's `train`.
--
--     local tr = canns.trainer.OjaTrainer{model = layer, learning_rate = 0.01}
--     local h = tr:fit(data, {epochs = 50, lr_schedule = "exponential", gamma = 0.9,
--                             early_stopping = {patience = 3, min_delta = 1e-6}})
--     print(h.epochs_run, h.stopped_early, h.monitor[#h.monitor])
--
-- Each epoch is one `train(data)` call (the whole pass in C).  The
-- trainer's `learning_rate` is set before every epoch from the schedule
-- and restored afterwards.
-- @module canns.trainer.fit
local core = require "canns.core"
local A = require "canns.argcheck"

local M = {}

local SCHEDULES = {"constant", "step", "exponential", "cosine"}

--- The learning rate of epoch `e` (1-based) for a named schedule:
-- "constant" lr0; "step" lr0 * gamma^floor((e-1) / step_size);
-- "exponential" lr0 * gamma^(e-1); "cosine" lr_min + (lr0 - lr_min)
-- (1 + cos(pi (e-1) / epochs)) / 2.
-- @string kind
-- @number lr0 the trainer's learning rate
-- @int e epoch
-- @tparam table o `gamma`, `step_size`, `lr_min`, `epochs`
-- @treturn number
function M.scheduled_rate(kind, lr0, e, o)
  if kind == "constant" then return lr0 end
  if kind == "step" then return lr0 * o.gamma ^ ((e - 1) // o.step_size) end
  if kind == "exponential" then return lr0 * o.gamma ^ (e - 1) end
  return o.lr_min + (lr0 - o.lr_min) * (1 + math.cos(math.pi * (e - 1) / o.epochs)) / 2
end

-- The default monitor: the relative change of the model's weights in the
-- epoch, |W_after - W_before| / max(|W_before|, tiny) (Frobenius norms).
local function weight_change(attr)
  return function(trainer, _, before)
    local W = trainer.model[attr]
    if not core.isarray(W) or not before then return nil end
    local d = W:astype("float64") - before
    local nb = math.sqrt(core.sum(before * before))
    return math.sqrt(core.sum(d * d)) / math.max(nb, 1e-300)
  end
end

local KEYS = {"epochs", "lr_schedule", "gamma", "step_size", "lr_min", "callbacks", "monitor",
              "early_stopping", "progress"}

--- Train for several epochs (method `fit` of every trainer).
-- @param data the data set `train` takes
-- @tparam table opts `epochs` (1), `lr_schedule` (nil: the rate stays; a
-- name of `scheduled_rate` or a function(epoch, lr0) returning a rate >
-- 0), `gamma` (0.1 for "step", 0.95 for "exponential"), `step_size` (10),
-- `lr_min` (0), `callbacks` (a function or a list: each is called as
-- f(trainer, epoch, info) after the epoch, info = {epoch, learning_rate,
-- monitor}; returning false stops training), `monitor` (function(trainer,
-- epoch) returning a number; default: the relative change of the model's
-- weights in the epoch), `early_stopping` (nil, or {patience = 5,
-- min_delta = 0, mode = "min" | "max"}: stop when the monitor has not
-- improved by more than min_delta for `patience` epochs), `progress`
-- (false)
-- @treturn table history: `learning_rate`, `monitor` (one entry per epoch
-- run), `epochs_run`, `stopped_early`, `best_epoch`, `best`
function M.fit(self, data, opts)
  local fn = (getmetatable(self) and getmetatable(self).__name or "Trainer") .. ".fit"
  if type(self) ~= "table" or type(self.train) ~= "function" then
    A.fail(fn, 1, "self", "must be a trainer (call it as tr:fit(data, opts)), got %s", A.describe(self))
  end
  local o = A.options(opts, fn, KEYS)
  local epochs = A.int(o.epochs, fn, "epochs", nil, {default = 1, min = 1, max = 10000000})
  local sched = o.lr_schedule
  local kind
  if type(sched) == "string" then
    kind = A.string(sched, fn, "lr_schedule", nil, {choices = SCHEDULES})
  elseif sched ~= nil and type(sched) ~= "function" then
    A.fail(fn, "lr_schedule", nil, "must be one of 'constant', 'step', 'exponential', 'cosine' or a function, got %s",
           A.describe(sched))
  end
  local so = {
    gamma = A.number(o.gamma, fn, "gamma", nil, {default = kind == "step" and 0.1 or 0.95, gt = 0}),
    step_size = A.int(o.step_size, fn, "step_size", nil, {default = 10, min = 1}),
    lr_min = A.number(o.lr_min, fn, "lr_min", nil, {default = 0, min = 0}),
    epochs = epochs,
  }
  local lr0 = self.learning_rate
  if sched ~= nil and type(lr0) ~= "number" then
    A.fail(fn, "lr_schedule", nil, "needs a trainer with a learning rate; %s has none", (fn:gsub("%.fit$", "")))
  end
  local cbs = o.callbacks
  if type(cbs) == "function" then cbs = {cbs} end
  if cbs ~= nil then
    A.table(cbs, fn, "callbacks", nil)
    for i, f in ipairs(cbs) do A.callable(f, fn, "callbacks", string.format("callbacks[%d]", i)) end
  end
  local monitor = o.monitor ~= nil and A.callable(o.monitor, fn, "monitor", nil)
                  or weight_change(self.weight_attr or "W")
  local es
  if o.early_stopping ~= nil then
    local e = A.options(o.early_stopping, fn, {"patience", "min_delta", "mode"})
    es = {patience = A.int(e.patience, fn, "early_stopping.patience", nil, {default = 5, min = 1}),
          min_delta = A.number(e.min_delta, fn, "early_stopping.min_delta", nil, {default = 0, min = 0}),
          mode = A.string(e.mode, fn, "early_stopping.mode", nil, {default = "min", choices = {"min", "max"}})}
  end
  local progress = A.boolean(o.progress, fn, "progress", nil, {default = false})
  local bar = progress and core.progress_enabled() and core.Progress(fn, epochs) or nil

  local hist = {learning_rate = {}, monitor = {}, epochs_run = 0, stopped_early = false}
  local best, best_epoch, wait = nil, nil, 0
  local ok, err = pcall(function()
    for e = 1, epochs do
      if sched ~= nil then
        local lr = kind and M.scheduled_rate(kind, lr0, e, so) or sched(e, lr0)
        if type(lr) ~= "number" or not (lr > 0) or lr == math.huge then
          A.fail(fn, "lr_schedule", nil, "gave %s at epoch %d; a learning rate must be finite and > 0",
                 A.describe(lr), e)
        end
        self.learning_rate = lr
      end
      local W = self.model and self.model[self.weight_attr or "W"]
      local before = (o.monitor == nil and core.isarray(W)) and W:astype("float64") or nil
      self:train(data)
      local m = monitor(self, e, before)
      if m ~= nil and type(m) ~= "number" then
        A.fail(fn, "monitor", nil, "must return a number (or nil), got %s at epoch %d", A.describe(m), e)
      end
      hist.learning_rate[e] = self.learning_rate
      hist.monitor[e] = m
      hist.epochs_run = e
      if bar then bar:tick(1) end
      local stop = false
      for _, f in ipairs(cbs or {}) do
        if f(self, e, {epoch = e, learning_rate = self.learning_rate, monitor = m}) == false then stop = true end
      end
      if es and m ~= nil and m == m then
        local better = best == nil or (es.mode == "min" and m < best - es.min_delta)
                       or (es.mode == "max" and m > best + es.min_delta)
        if better then best, best_epoch, wait = m, e, 0 else wait = wait + 1 end
        if wait >= es.patience then hist.stopped_early, stop = true, true end
      end
      if stop then break end
    end
  end)
  if bar then bar:close() end
  if lr0 ~= nil then self.learning_rate = lr0 end
  if not ok then error(err, 0) end
  hist.best, hist.best_epoch = best, best_epoch
  return hist
end

return M
