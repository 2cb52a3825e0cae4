--- The trainer protocol (upstream `canns.trainer.Trainer`) and the data
-- helpers every trainer uses.
--
-- A trainer holds a model and offers `train(data)`, `predict(pattern,
-- opts)`, `predict_batch(patterns, opts)` and `configure_progress{...}`.
-- Data sets are a 2-D array (samples, features) or a list of 1-D arrays /
-- tables; they are converted to float32 once and the whole pass runs in C.
-- @module canns.trainer.base

local core = require "canns.core"
local A = require "canns.argcheck"

local M = {}

--- Base keyword arguments of every trainer.
M.BASE_KEYS = {"model", "show_iteration_progress", "compiled_prediction"}

--- A data set as a float32 (P, n) array.  `n` (optional) is the required
-- row length.  Refuses an empty set, ragged rows and NaN/inf.
function M.matrix(data, fname, arg, name, n, allow_empty)
  local X
  if core.isarray(data) then
    if data:ndim() == 1 then
      A.fail(fname, arg, name, "must be 2-d (samples, features) or a list of 1-d patterns, got %s",
             A.describe(data))
    end
    X = A.array(data, fname, arg, name, {dtype = "float", ndim = 2})
  elseif type(data) == "table" then
    local rows = {}
    for i = 1, #data do
      local r = data[i]
      if type(r) == "table" and not core.isarray(r) then
        local ok, a = pcall(core.array, r, "float32")
        if not ok then A.fail(fname, arg, name, "entry %d must be a 1-d pattern, got %s", i, A.describe(r)) end
        r = a
      end
      if not core.isarray(r) or r:ndim() ~= 1 then
        A.fail(fname, arg, name, "entry %d must be a 1-d pattern, got %s", i, A.describe(r))
      end
      if r:dtype() == "bool" then r = r:astype("float32") end
      if i > 1 and r:size() ~= rows[1]:size() then
        A.fail(fname, arg, name, "entry %d has length %d but entry 1 has length %d", i, r:size(), rows[1]:size())
      end
      rows[i] = r:astype("float32"):reshape(1, r:size())
    end
    if #rows == 0 then
      if allow_empty then return nil end
      A.fail(fname, arg, name, "must hold at least one pattern, got an empty table")
    end
    X = core.concatenate(rows, 1)
  else
    A.fail(fname, arg, name, "must be a 2-d array or a list of patterns, got %s", A.describe(data))
  end
  if X:shape(1) == 0 then
    if allow_empty then return nil end
    A.fail(fname, arg, name, "must hold at least one pattern, got %s", A.describe(X))
  end
  if n and X:shape(2) ~= n then
    A.fail(fname, arg, name, "patterns must have length %d, got %s", n, A.describe(X))
  end
  if not core.all(core.isfinite(X)) then A.fail(fname, arg, name, "must not contain NaN or inf") end
  if X:dtype() ~= "float32" then X = X:astype("float32") end
  if X:is_view() then X = X:copy() end
  return X
end

--- One pattern as a float32 1-d array (length n when given).
function M.vector(p, fname, arg, name, n)
  p = A.array(p, fname, arg, name, {convert = true, ndim = 1})
  if p:dtype() ~= "float32" then p = p:astype("float32") else p = p:copy() end
  if n and p:size() ~= n then
    A.fail(fname, arg, name, "must have length %d, got %s", n, A.describe(p))
  end
  if not core.all(core.isfinite(p)) then A.fail(fname, arg, name, "must not contain NaN or inf") end
  return p
end

--- A learning rate: finite and > 0.
function M.learning_rate(v, fname, default)
  return A.number(v, fname, "learning_rate", nil, {default = default, gt = 0})
end

--- The model from opts.model or opts[1].
function M.model(o, fname)
  local m = o.model
  if o[1] ~= nil then
    if m ~= nil then A.error(fname, "model given both by position and by name") end
    m = o[1]
  end
  if #o > 1 then A.error(fname, "takes one positional argument (model), got %d", #o) end
  if type(m) ~= "table" then A.fail(fname, "model", nil, "must be a model (a table), got %s", A.describe(m)) end
  return m
end

--- The weight array of a model: a float32 2-d array in field `attr`.
function M.weights(model, attr, fname)
  local W = model[attr]
  if not core.isarray(W) or W:ndim() ~= 2 or (W:dtype() ~= "float32" and W:dtype() ~= "float64") then
    A.error(fname, "the model has no 2-d float weight array '%s' (got %s)", tostring(attr), A.describe(W))
  end
  if W:dtype() ~= "float32" or W:is_view() then
    W = W:astype("float32")
    if W:is_view() then W = W:copy() end
    model[attr] = W
  end
  return W
end

--- A new trainer class with the base protocol.
function M.class(name)
  local cls = {name = name}
  cls.__index = cls
  cls.__name = name
  --- Default: a list of `predict` results, stacked into a 2-d array.
  function cls:predict_batch(patterns, opts)
    local X = M.matrix(patterns, name .. ".predict_batch", 1, "patterns")
    local rows = {}
    for i = 1, X:shape(1) do
      local r = self:predict(X[i], opts)
      rows[i] = r:reshape(1, r:size())
    end
    return core.concatenate(rows, 1)
  end
  --- Several epochs with a learning-rate schedule, callbacks, early
  -- stopping and a progress bar (canns.trainer.fit).
  cls.fit = require("canns.trainer.fit").fit
  --- Overwrite only the flags given.
  function cls:configure_progress(o)
    o = A.options(o, name .. ".configure_progress", {"show_iteration_progress", "compiled_prediction"})
    if o.show_iteration_progress ~= nil then
      self.show_iteration_progress = A.boolean(o.show_iteration_progress, name, "show_iteration_progress")
    end
    if o.compiled_prediction ~= nil then
      self.compiled_prediction = A.boolean(o.compiled_prediction, name, "compiled_prediction")
    end
  end
  return cls
end

--- Read the base options into a new trainer object.
function M.init(cls, o, fname)
  local self = setmetatable({}, cls)
  self.model = M.model(o, fname)
  self.show_iteration_progress = A.boolean(o.show_iteration_progress, fname, "show_iteration_progress",
                                           nil, {default = false})
  self.compiled_prediction = A.boolean(o.compiled_prediction, fname, "compiled_prediction", nil,
                                       {default = true})
  return self
end

--- `Trainer`: the abstract base (train and predict raise).
M.Trainer = M.class("Trainer")
function M.Trainer:train() A.error("Trainer.train", "is abstract: use a concrete trainer") end
function M.Trainer:predict() A.error("Trainer.predict", "is abstract: use a concrete trainer") end

return M
