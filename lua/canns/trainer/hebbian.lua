--- Hebbian storage and recall (upstream `canns.trainer.HebbianTrainer`,
-- `AntiHebbianTrainer`).
--
--     local tr = canns.trainer.HebbianTrainer{model = net}
--     tr:train(patterns)                     -- (P, N) array or list of patterns
--     local out = tr:predict(probe, {num_iter = 20})
--     local outs = tr:predict_batch(probes)  -- (B, N): one recall per row
--
-- `train`: W <- W + sum_p t_p t_p^T (/P when normalize_by_patterns), t_p =
-- x_p - rho where rho is the mean of all P*N entries (subtract_mean), then
-- the diagonal zeroed (zero_diagonal); one BLAS rank-P update.  Before it
-- the model is resized to the pattern length (for the Hopfield network:
-- the diagonal zeroed, s reset to ones).  `predict`: resize again, set the
-- state to the pattern, run exactly num_iter `update` steps (in C for the
-- built-in network; through the model's `update` for a Lua model).
-- @module canns.trainer.hebbian

local core = require "canns.core"
local A = require "canns.argcheck"
local B = require "canns.trainer.base"
local binsp = require "canns.models.brain_inspired.base"

local KEYS = {"model", "show_iteration_progress", "compiled_prediction", "weight_attr",
              "subtract_mean", "zero_diagonal", "normalize_by_patterns", "prefer_generic",
              "state_attr", "prefer_generic_predict", "preserve_on_resize", "progress"}

local function make(name, sign)
  local T = B.class(name)

  --- Build the trainer.
  -- @tparam table opts `model` (or positional 1), `weight_attr = "W"`,
  -- `subtract_mean = true`, `zero_diagonal = true`,
  -- `normalize_by_patterns = true`, `prefer_generic = true`,
  -- `state_attr = nil` (the model's `predict_state_attr`, else "s"),
  -- `prefer_generic_predict = true`, `preserve_on_resize = true`,
  -- `show_iteration_progress = false`, `compiled_prediction = true`,
  -- `progress` (canns: progress bar of `predict_batch`, default true on a
  -- terminal, as upstream's `show_sample_progress`)
  function T.new(opts)
    local o = A.options(opts, name, KEYS, {positional = true})
    local self = B.init(T, o, name)
    self.weight_attr = A.string(o.weight_attr, name, "weight_attr", nil, {optional = true})
    if o.weight_attr == nil then self.weight_attr = "W" end
    self.subtract_mean = A.boolean(o.subtract_mean, name, "subtract_mean", nil, {default = true})
    self.zero_diagonal = A.boolean(o.zero_diagonal, name, "zero_diagonal", nil, {default = true})
    self.normalize_by_patterns = A.boolean(o.normalize_by_patterns, name, "normalize_by_patterns", nil,
                                           {default = true})
    self.prefer_generic = A.boolean(o.prefer_generic, name, "prefer_generic", nil, {default = true})
    self.state_attr = A.string(o.state_attr, name, "state_attr", nil, {optional = true})
    self.prefer_generic_predict = A.boolean(o.prefer_generic_predict, name, "prefer_generic_predict",
                                            nil, {default = true})
    self.preserve_on_resize = A.boolean(o.preserve_on_resize, name, "preserve_on_resize", nil,
                                        {default = true})
    self.progress = A.boolean(o.progress, name, "progress", nil, {default = true})
    return self
  end

  function T:_state_attr()
    if self.state_attr then return self.state_attr end
    local a = self.model.predict_state_attr
    if type(a) == "function" then a = a(self.model) end
    return type(a) == "string" and a or "s"
  end

  -- Dimension alignment (upstream `_ensure_model_dim`).  The built-in
  -- network refuses a pattern length other than its num_neurons (upstream
  -- silently resizes it, discarding the stored weights).
  function T:_ensure_dim(n, fname, arg, argname)
    local m = self.model
    if m._learn_kind == "hopfield" and n ~= m.num_neurons then
      A.fail(fname, arg, argname, "patterns must have length %d (the network's num_neurons), got length %d",
             m.num_neurons, n)
    end
    if type(m.resize) == "function" then
      local ok = pcall(m.resize, m, n, self.preserve_on_resize)
      if ok then return end
    end
    local W = m[self.weight_attr]
    if core.isarray(W) and (W:ndim() ~= 2 or W:shape(1) ~= n or W:shape(2) ~= n) then
      local keep = self.preserve_on_resize and W:ndim() == 2 and W:astype("float32") or nil
      local nw = core.resize_matrix(keep, n, n)
      core.zero_diagonal(nw)
      m[self.weight_attr] = nw
    end
    local sa = self:_state_attr()
    local s = m[sa]
    if core.isarray(s) and (s:ndim() ~= 1 or s:size() ~= n) then m[sa] = core.ones(n) end
  end

  local function check_sign_patterns(model, X, fname, arg, name)
    if model._learn_kind == "hopfield" and model.activation == "sign" then
      if not core.all(core.abs(X):eq(1)) then
        A.fail(fname, arg, name, "must hold only -1 and +1 for a sign network, got other values")
      end
    end
  end

  --- Store patterns.
  -- @param patterns (P, N) array or a list of 1-d patterns (non-empty)
  function T:train(patterns)
    local f = name .. ".train"
    local X = B.matrix(patterns, f, 1, "patterns")
    check_sign_patterns(self.model, X, f, 1, "patterns")
    local n = X:shape(2)
    self:_ensure_dim(n, f, 1, "patterns")
    local W = self.model[self.weight_attr]
    if self.prefer_generic and core.isarray(W) and W:ndim() == 2 and W:shape(1) == W:shape(2) then
      W = B.weights(self.model, self.weight_attr, f)
      if W:shape(1) ~= n then
        A.fail(f, 1, "patterns", "must have length %d (the model's W is %dx%d), got %s", W:shape(1),
               W:shape(1), W:shape(1), A.describe(X))
      end
      core.hebbian_update(W, X, {sign = sign, subtract_mean = self.subtract_mean,
                                 normalize = self.normalize_by_patterns,
                                 zero_diagonal = self.zero_diagonal})
    elseif type(self.model.apply_hebbian_learning) == "function" then
      self.model:apply_hebbian_learning(X)
    else
      A.error(f, "the model has no square weight array '%s' and no apply_hebbian_learning method",
              tostring(self.weight_attr))
    end
  end

  local PKEYS = {"num_iter", "compiled", "show_progress", "convergence_threshold", "progress_callback"}

  local function generic_loop(m, num_iter)
    local e = binsp.energy_of(m)
    for _ = 1, num_iter do
      m:update(e)
      e = binsp.energy_of(m)
    end
  end

  --- Recall one pattern: exactly `num_iter` updates from the pattern.
  -- @param pattern 1-d array or table of length N
  -- @tparam[opt] table opts `num_iter = 20` (`compiled`, `show_progress`,
  -- `convergence_threshold`, `progress_callback` are accepted and ignored,
  -- as upstream)
  -- @treturn canns.array the final state (a copy)
  function T:predict(pattern, opts)
    local f = name .. ".predict"
    local o = A.options(opts, f, PKEYS)
    local num_iter = A.count(o.num_iter, f, "num_iter", nil, {default = 20, max = 1e7})
    local m = self.model
    local sa = self:_state_attr()
    if type(m.update) ~= "function" or m.energy == nil or not core.isarray(m[sa]) then
      A.error(f, "generic prediction needs model.update, model.energy and a state array '%s'", sa)
    end
    local p = B.vector(pattern, f, 1, "pattern")
    check_sign_patterns(m, p, f, 1, "pattern")
    self:_ensure_dim(p:size(), f, 1, "pattern")
    if m._learn_kind == "hopfield" and sa == "s" then
      if p:size() ~= m.num_neurons then
        A.fail(f, 1, "pattern", "must have length %d, got %s", m.num_neurons, A.describe(p))
      end
      m.s = p
      core.hopfield_recall(m.W, m.s, num_iter, m:recall_options(m.asyn and m:draw_order() or nil))
    else
      m[sa] = p
      generic_loop(m, num_iter)
    end
    return m[sa]:copy()
  end

  local BKEYS = {"num_iter", "compiled", "show_sample_progress", "show_iteration_progress",
                 "convergence_threshold"}

  --- Recall each row independently; returns a (B, N) array (row i is the
  -- recall of probe i).  For the built-in network all probes run in one C
  -- call (synchronous: one matrix product per iteration for 256 probes).
  -- @param patterns (B, N) array or a list of patterns
  -- @tparam[opt] table opts `num_iter = 20`, `show_sample_progress = true`
  -- (others accepted and ignored)
  function T:predict_batch(patterns, opts)
    local f = name .. ".predict_batch"
    local o = A.options(opts, f, BKEYS)
    local num_iter = A.count(o.num_iter, f, "num_iter", nil, {default = 20, max = 1e7})
    local show = A.boolean(o.show_sample_progress, f, "show_sample_progress", nil, {default = true})
    local m = self.model
    local X = B.matrix(patterns, f, 1, "patterns")
    if not (m._learn_kind == "hopfield" and self:_state_attr() == "s") then
      local rows = {}
      for i = 1, X:shape(1) do
        rows[i] = self:predict(X[i], {num_iter = num_iter}):reshape(1, X:shape(2))
      end
      return core.concatenate(rows, 1)
    end
    check_sign_patterns(m, X, f, 1, "patterns")
    self:_ensure_dim(X:shape(2), f, 1, "patterns")
    if X:shape(2) ~= m.num_neurons then
      A.fail(f, 1, "patterns", "must have length %d, got %s", m.num_neurons, A.describe(X))
    end
    local S = X:copy()
    local ro = m:recall_options(m.asyn and m:draw_order() or nil)
    if show and self.progress then ro.progress = "Processing samples" end
    core.hopfield_recall(m.W, S, num_iter, ro)
    m.s = S[S:shape(1)]:copy()
    return S
  end

  return T
end

return {
  HebbianTrainer = make("HebbianTrainer", 1.0),
  AntiHebbianTrainer = make("AntiHebbianTrainer", -1.0),
}
