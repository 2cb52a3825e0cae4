--- The fixed-point finder (upstream
-- `canns.analyzer.slow_points.FixedPointFinder`): Adam on
-- q = 1/2 |F(x, u) - x|^2 from states sampled off trajectories, then
-- de-duplication, outlier handling, Jacobians, eigen-decomposition and
-- the stability test.
--
-- The system F is a `canns.nn.RNN` (step, gradient and Jacobians in C), a
-- table with methods `_fp_qgrad(X, U, F, G)` / `_fp_jacobians(X, U)`, or a
-- Lua function `F(X (n, S), U (n, I)) -> (n, S)` on float32 arrays
-- (gradients and Jacobians by central finite differences, step 1e-3:
-- 2 S + 1 calls per iteration, so slow).
-- @module canns.analyzer.slow_points.finder

local core = require "canns.core"
local A = require "canns.argcheck"
local FP = require "canns.analyzer.slow_points.fixed_points"

local F = {}
F.__index = F
F.__name = "canns.analyzer.slow_points.FixedPointFinder"

local NAME = "FixedPointFinder"
local KEYS = {"method", "max_iters", "tol_q", "tol_dq", "lr_init", "lr_factor", "lr_patience",
              "lr_cooldown", "do_compute_jacobians", "do_decompose_jacobians", "tol_unique",
              "do_exclude_distance_outliers", "outlier_distance_scale", "do_rerun_q_outliers",
              "outlier_q_scale", "max_n_unique", "final_q_threshold", "dtype", "verbose",
              "super_verbose", "n_iters_per_print_update", "seed", "fd_step"}

-- A system from a Lua function: finite-difference gradients and Jacobians.
local function fd_system(fun, h)
  local sys = {}
  local function eval(X, U)
    local Y = fun(X, U)
    if not core.isarray(Y) or Y:ndim() ~= 2 or Y:shape(1) ~= X:shape(1) or Y:shape(2) ~= X:shape(2) then
      A.error(NAME, "the step function must return an array of shape {%d, %d}, got %s",
              X:shape(1), X:shape(2), A.describe(Y))
    end
    return Y:astype("float32")
  end
  local function columns(X, U, S, fcol)
    local cols = {}
    for c = 1, S do
      local e = core.zeros({1, S})
      e[{1, c}] = h
      cols[c] = fcol((eval(X + e, U) - eval(X - e, U)) / (2 * h), c)
    end
    return cols
  end
  function sys:_fp_qgrad(X, U, Fx, G)
    local n, S = X:shape(1), X:shape(2)
    Fx:assign(eval(X, U))
    local E = X - Fx
    local cols = columns(X, U, S, function(dF) return (dF * E):sum(2):reshape(n, 1) end)
    G:assign((E - core.concatenate(cols, 2)) / n)
  end
  function sys:_fp_jacobians(X, U)
    local n, S = X:shape(1), X:shape(2)
    local cols = columns(X, U, S, function(dF) return dF:reshape(n, S, 1) end)
    local J = core.concatenate(cols, 3)
    local I = U:shape(2)
    local dcols = {}
    for i = 1, I do
      local e = core.zeros({1, I})
      e[{1, i}] = h
      dcols[i] = ((eval(X, U + e) - eval(X, U - e)) / (2 * h)):reshape(n, S, 1)
    end
    local D = I > 0 and core.concatenate(dcols, 3) or core.zeros({n, S, 0})
    return J, D
  end
  return sys
end

--- Build a finder for `rnn` (see the module description) with upstream's
-- options and defaults: `method = "joint"` ("joint" | "sequential"),
-- `max_iters = 5000`, `tol_q = 1e-12`, `tol_dq = 1e-20`, `lr_init = 1.0`,
-- `lr_factor = 0.95`, `lr_patience = 5`, `lr_cooldown = 0`,
-- `do_compute_jacobians = true`, `do_decompose_jacobians = true`,
-- `tol_unique = 1e-3`, `do_exclude_distance_outliers = true`,
-- `outlier_distance_scale = 10`, `do_rerun_q_outliers = false`,
-- `outlier_q_scale = 10`, `max_n_unique = inf`, `final_q_threshold = 1e-8`,
-- `dtype = "float32"`, `verbose = true`, `super_verbose = false`,
-- `n_iters_per_print_update = 100`; ours: `seed = 0` (the sampling
-- generator, Philox), `fd_step = 1e-3` (finite differences of a Lua F).
function F.new(rnn, opts)
  local o = A.options(opts, NAME, KEYS)
  local self = setmetatable({}, F)
  if type(rnn) == "function" then
    self.system = fd_system(rnn, A.number(o.fd_step, NAME, "fd_step", nil, {gt = 0, default = 1e-3}))
  elseif type(rnn) == "table" and type(rnn._fp_qgrad) == "function" and type(rnn._fp_jacobians) == "function" then
    self.system = rnn
  else
    A.fail(NAME, 1, "rnn", "must be a canns.nn.RNN, a system with _fp_qgrad/_fp_jacobians or a function F(x, u), got %s",
           A.describe(rnn))
  end
  self.rnn = rnn
  self.method = A.string(o.method, NAME, "method", nil, {default = "joint"})
  if self.method ~= "joint" and self.method ~= "sequential" then
    A.fail(NAME, "method", nil, "must be 'joint' or 'sequential', got '%s'", self.method)
  end
  local function num(k, d, spec) spec = spec or {}; spec.default = d; return A.number(o[k], NAME, k, nil, spec) end
  local function bool(k, d) return A.boolean(o[k], NAME, k, nil, {default = d}) end
  self.max_iters = A.count(o.max_iters, NAME, "max_iters", nil, {min = 1, default = 5000})
  self.tol_q = num("tol_q", 1e-12, {min = 0})
  self.tol_dq = num("tol_dq", 1e-20, {min = 0})
  self.lr_init = num("lr_init", 1.0, {gt = 0})
  self.lr_factor = num("lr_factor", 0.95, {gt = 0})
  self.lr_patience = A.count(o.lr_patience, NAME, "lr_patience", nil, {default = 5})
  self.lr_cooldown = A.count(o.lr_cooldown, NAME, "lr_cooldown", nil, {default = 0})
  self.do_compute_jacobians = bool("do_compute_jacobians", true)
  self.do_decompose_jacobians = bool("do_decompose_jacobians", true)
  self.tol_unique = num("tol_unique", 1e-3, {min = 0})
  self.do_exclude_distance_outliers = bool("do_exclude_distance_outliers", true)
  self.outlier_distance_scale = num("outlier_distance_scale", 10.0, {gt = 0})
  self.do_rerun_q_outliers = bool("do_rerun_q_outliers", false)
  self.outlier_q_scale = num("outlier_q_scale", 10.0, {gt = 0})
  self.max_n_unique = num("max_n_unique", math.huge, {min = 1, inf = true})
  self.final_q_threshold = num("final_q_threshold", 1e-8)
  self.dtype = A.string(o.dtype, NAME, "dtype", nil, {default = "float32"})
  if self.dtype ~= "float32" then A.fail(NAME, "dtype", nil, "must be 'float32' (the only dtype built), got '%s'", self.dtype) end
  self.verbose = bool("verbose", true)
  self.super_verbose = bool("super_verbose", false)
  self.n_iters_per_print_update = A.count(o.n_iters_per_print_update, NAME, "n_iters_per_print_update",
                                          nil, {min = 1, default = 100})
  self.rng = core.random.Generator(A.count(o.seed, NAME, "seed", nil, {default = 0, max = math.huge}))
  return self
end
setmetatable(F, {__call = function(_, rnn, opts) return F.new(rnn, opts) end})

local function pm(m, s, n)
  if n > 1 then return string.format("%.2e +/- %.2e", m, s) end
  return string.format("%.2e", m)
end

--- Optimise one batch from x0 (n, S) with inputs (n, I) (upstream
-- `_run_optimization`); returns a FixedPoints (no dedup, no Jacobians).
function F:_optimize(x0, inputs, cond_id)
  local n, S = x0:shape(1), x0:shape(2)
  local X = x0:astype("float32"):copy()
  local Fx, G, m, v = core.zeros({n, S}), core.zeros({n, S}), core.zeros({n, S}), core.zeros({n, S})
  local qprev, q, dq = core.full(n, 0 / 0), core.zeros(n), core.zeros(n)
  local Fkeep = core.zeros({n, S})
  local lr, best, patience, cool = self.lr_init, math.huge, 0, 0
  local t0 = os.clock()
  local k, st = 0, nil
  while true do
    k = k + 1
    self.system:_fp_qgrad(X, inputs, Fx, G)
    Fkeep:assign(Fx)
    local qm, qs, dm, ds, done = core.fp_iter(X, Fx, G, m, v, k, self.lr_init, qprev, q, dq,
                                              self.tol_q, self.tol_dq * lr)
    st = {qm, qs, dm, ds}
    if k > 1 then
      if qm < best then
        best, patience = qm, 0
      elseif cool == 0 then
        patience = patience + 1
        if patience >= self.lr_patience then
          lr, patience, cool = lr * self.lr_factor, 0, self.lr_cooldown
        end
      else
        cool = cool - 1
      end
    end
    if self.super_verbose and k % self.n_iters_per_print_update == 0 then
      local el = ((os.clock()) - t0) / k
      print(string.format("\tIter: %d, q = %s, dq = %s, lr = %.2e, avg iter time = %.2e sec.", k,
                          pm(qm, qs, n), pm(dm, ds, n), lr, el))
    end
    if k > 1 and done then
      if self.verbose then print("\tOptimization complete to desired tolerance.") end
      break
    end
    if k >= self.max_iters then
      if self.verbose then print("\tMaximum iteration count reached. Terminating.") end
      break
    end
  end
  if self.verbose then
    local el = ((os.clock()) - t0) / k
    print(string.format("\t\t%d iters, q = %s, dq = %s, lr = %.2e, avg iter time = %.2e sec", k,
                        pm(st[1], st[2], n), pm(st[3], st[4], n), lr, el))
  end
  return FP.new{xstar = X, F_xstar = Fkeep, x_init = x0:astype("float32"), inputs = inputs,
                qstar = q, dq = dq, n_iters = core.full(n, k, "int64"), cond_id = cond_id,
                tol_unique = self.tol_unique, dtype = self.dtype}
end

local function cat_fps(list, tol)
  if #list == 1 then return list[1] end
  local t = {tol_unique = tol}
  for _, k in ipairs(FP.FIELDS) do
    if list[1][k] then
      local parts = {}
      for i, f in ipairs(list) do parts[i] = f[k] end
      t[k] = core.concatenate(parts, 1)
    end
  end
  return FP.new(t)
end

function F:_run(x0, inputs, cond_id)
  if self.method == "joint" then return self:_optimize(x0, inputs, cond_id) end
  local parts = {}
  for i = 1, x0:shape(1) do
    parts[i] = self:_optimize(x0:slice(1, i), inputs:slice(1, i), cond_id and cond_id:slice(1, i))
  end
  return cat_fps(parts, self.tol_unique)
end

--- Sample initial states from state_traj (B, T, S): `n_inits` (B, T) pairs
-- drawn without replacement (with replacement when n_inits exceeds the
-- valid pairs), plus `noise_scale` N(0, 1) noise.
function F:sample_states(state_traj, n_inits, noise_scale, valid_bxt)
  local fn = "find_fixed_points"
  local B, T, S = state_traj:shape(1), state_traj:shape(2), state_traj:shape(3)
  local pairs_ = {}
  if valid_bxt then
    local vm = A.array(valid_bxt, fn, "valid_bxt", nil, {convert = true, dtype = "bool", shape = {B, T}})
    local flat = vm:flatten():totable()
    for i, ok in ipairs(flat) do if ok then pairs_[#pairs_ + 1] = i end end
  else
    for i = 1, B * T do pairs_[i] = i end
  end
  if #pairs_ == 0 then A.fail(fn, "valid_bxt", nil, "selects no (batch, time) pair") end
  local flat = state_traj:astype("float32"):reshape(B * T, S)
  local pick = {}
  if n_inits <= #pairs_ then
    local perm = self.rng:permutation(#pairs_):totable()
    for i = 1, n_inits do pick[i] = pairs_[perm[i]] end
  else
    local r = self.rng:randint(n_inits, 1, #pairs_ + 1):totable()
    for i = 1, n_inits do pick[i] = pairs_[r[i]] end
  end
  local rows = {}
  for i, j in ipairs(pick) do rows[i] = flat:slice(1, j) end
  local X = core.concatenate(rows, 1)
  if noise_scale > 0 then X = X + self.rng:normal({n_inits, S}) * noise_scale end
  if not core.all(core.isfinite(X)) then
    A.fail(fn, 1, "state_traj", "must not contain NaN or inf in the sampled states")
  end
  return X
end

function F:_exclude_distance_outliers(fps)
  local c = fps.x_init:mean(1):reshape(1, fps.n_states)
  local d0 = core.sqrt(core.square(fps.x_init - c):sum(2)):mean() + 1e-12
  local d = (core.sqrt(core.square(fps.xstar - c):sum(2)) / d0):totable()
  local keep = {}
  for i, v in ipairs(d) do if v < self.outlier_distance_scale then keep[#keep + 1] = i end end
  local m = fps.n - #keep
  if m > 0 then
    if self.verbose then print(string.format("\t\tExcluded %d distance outliers (of %d).", m, fps.n)) end
    return fps:subset(keep)
  end
  return fps
end

function F:_rerun_q_outliers(fps)
  if fps.n == 0 then return fps end
  local q = fps.qstar:totable()
  local thr = FP._median(q) * self.outlier_q_scale
  local bad = {}
  for i, v in ipairs(q) do if v > thr then bad[#bad + 1] = i end end
  if #bad == 0 then return fps end
  if self.verbose then print(string.format("\tRe-running %d q outliers.", #bad)) end
  local sub = fps:subset(bad)
  local save = self.method
  self.method = "sequential"
  local re = self:_run(sub.xstar, sub.inputs)
  self.method = save
  for j, i in ipairs(bad) do
    fps.xstar[i] = re.xstar[j]
    fps.F_xstar[i] = re.F_xstar[j]
    fps.qstar[i] = re.qstar[j]
    fps.dq[i] = re.dq[j]
    fps.n_iters[i] = fps.n_iters[i] + re.n_iters[j]
  end
  return fps
end

--- Find fixed points (upstream `find_fixed_points`).
-- `state_traj` (B, T, S); `inputs` (1, I) (tiled) or (n_inits, I);
-- options `n_inits = 1024`, `noise_scale = 0`, `valid_bxt` (B, T bool),
-- `cond_ids` (n_inits).
-- @treturn FixedPoints unique fixed points, @treturn FixedPoints all
function F:find_fixed_points(state_traj, inputs, opts)
  local fn = "find_fixed_points"
  state_traj = A.array(state_traj, fn, 1, "state_traj", {convert = true, dtype = "float", ndim = 3})
  if state_traj:size() == 0 then A.fail(fn, 1, "state_traj", "must not be empty") end
  local o = A.options(opts, fn, {"n_inits", "noise_scale", "valid_bxt", "cond_ids"})
  local n_inits = A.count(o.n_inits, fn, "n_inits", nil, {min = 1, default = 1024})
  local noise = A.number(o.noise_scale, fn, "noise_scale", nil, {min = 0, default = 0.0})
  inputs = A.array(inputs, fn, 2, "inputs", {convert = true, dtype = "float", ndim = 2, finite = true})
  if inputs:shape(1) == 1 and n_inits > 1 then
    inputs = core.concatenate((function() local t = {} for i = 1, n_inits do t[i] = inputs end return t end)(), 1)
  elseif inputs:shape(1) ~= n_inits then
    A.fail(fn, 2, "inputs", "must have shape {1, n_inputs} or {%d, n_inputs}, got %s", n_inits, A.describe(inputs))
  end
  inputs = inputs:astype("float32")
  local cond = o.cond_ids and A.array(o.cond_ids, fn, "cond_ids", nil, {convert = true, shape = {n_inits}})
  local x0 = self:sample_states(state_traj, n_inits, noise, o.valid_bxt)
  local r = self.rnn
  if type(r) == "table" and r.hidden_size then
    if state_traj:shape(3) ~= r.hidden_size then
      A.fail(fn, 1, "state_traj", "must have %d states (the RNN's hidden_size) on axis 3, got %s",
             r.hidden_size, A.describe(state_traj))
    end
    if inputs:shape(2) ~= r.input_size then
      A.fail(fn, 2, "inputs", "must have %d columns (the RNN's input_size), got %s", r.input_size,
             A.describe(inputs))
    end
  end
  if self.method == "joint" and n_inits > 1000 and self.verbose then
    print(string.format("Warning: optimizing %d points jointly.", n_inits))
  end
  if self.verbose then print(string.format("Searching for fixed points from %d initial states.", n_inits)) end
  local all_fps = self:_run(x0, inputs, cond)
  local u = all_fps:get_unique()
  if self.verbose then print(string.format("\tIdentified %d unique fixed points.", u.n)) end
  if self.do_exclude_distance_outliers and u.n > 0 then u = self:_exclude_distance_outliers(u) end
  if self.do_rerun_q_outliers then u = self:_rerun_q_outliers(u):get_unique() end
  if u.n > self.max_n_unique then
    local q = u.qstar:totable()
    local idx = {}
    for i = 1, u.n do idx[i] = i end
    table.sort(idx, function(a, b) if q[a] ~= q[b] then return q[a] < q[b] end return a < b end)
    local keep = {}
    for i = 1, math.floor(self.max_n_unique) do keep[i] = idx[i] end
    u = u:subset(keep)
  end
  if self.do_compute_jacobians and u.n > 0 then
    u.J_xstar, u.dFdu = self.system:_fp_jacobians(u.xstar, u.inputs)
    if self.do_decompose_jacobians then u:decompose_jacobians(self.verbose) end
  end
  if self.final_q_threshold > 0 and u.n > 0 then
    local q, keep = u.qstar:totable(), {}
    for i, v in ipairs(q) do if v < self.final_q_threshold then keep[#keep + 1] = i end end
    if #keep < u.n then u = u:subset(keep) end
  end
  if self.verbose then print(string.format("\tFound %d unique fixed points.", u.n)) end
  return u, all_fps
end

return F
