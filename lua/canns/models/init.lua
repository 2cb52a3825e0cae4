--- Models: the classic continuous attractor networks and any model class
-- registered from C.
--
--     local canns = require "canns"
--     canns.set_dt(0.1)
--     local cann = canns.models.CANN1D{num = 512}          -- or CANN1D(512)
--     cann(cann:get_stimulus_by_pos(0.5))                   -- one step
--     print(cann.u, cann.r, cann.x, cann.num, cann.method)
--
-- Keyword arguments and defaults are the Python toolkit's
-- (`canns.models.basic`); two more are accepted by every CANN:
-- `dtype = "float32" | "float64"` and `method = "auto" | "estimate" | "dense" | "fft"`
-- (and `"spectral"` in 1-D, `"separable"` in 2-D), which chooses how the recurrent input is
-- computed (all give the same numbers to round-off; "auto" times the candidates at
-- construction, "estimate" uses a fixed size rule; see docs/models.md).  canns 1.5's
-- `accl_mode` ("normal", "fast", "ultra-fast", "auto", "fft", or "dense"), `accl_k` and
-- `accl_target_err_mrad` are accepted and mapped onto these exact methods
-- (docs/differences.md); `model.accl_mode`, `model.accl_k`, `model.is_accelerated` and
-- `model:set_accl_mode(mode, k, target_err_mrad)` mirror upstream's.
--
-- A model object reads its state variables (`u`, `r`, `inp`, `v` with SFA)
-- and coordinates `x` as array copies, its parameters as numbers, and
-- `conn_mat` as the dense connection matrix built on request.  Methods:
-- `update(inp)` (also `model(inp)` and `step`), `reset()`,
-- `get_stimulus_by_pos(pos)`, `dist(d)`, `make_conn()`, `state_names()`,
-- `param_names()`.
-- @module canns.models

local core = require "canns.core"

local M = {}

local function constructor(name)
  return function(opts, ...)
    if select("#", ...) > 0 then
      error(name .. ": takes one table of keyword arguments, e.g. " .. name .. "{...}", 2)
    end
    return core.model_new(name, opts)
  end
end

--- 1-D CANN on a ring (`num` neurons; tau 1, k 8.1, a 0.5, A 10, J0 4,
-- z in [-pi, pi]).
-- @function CANN1D
M.CANN1D = constructor "CANN1D"

--- 1-D CANN with spike-frequency adaptation (tau 1, tau_v 50, k 8.1,
-- a 0.3, A 0.2, J0 1, m 0.3).
-- @function CANN1D_SFA
M.CANN1D_SFA = constructor "CANN1D_SFA"

--- 2-D CANN on a torus of `length` x `length` neurons (defaults as CANN1D).
-- @function CANN2D
M.CANN2D = constructor "CANN2D"

--- 2-D CANN with spike-frequency adaptation (defaults as CANN1D_SFA).
-- @function CANN2D_SFA
M.CANN2D_SFA = constructor "CANN2D_SFA"

--- Velocity-driven grid-cell sheet (upstream `GridCell2DVelocity`: length
-- 40, tau 0.01, alpha 0.2, A 1, W_a 1.5, W_l 2, lambda_net 15, e 1.15,
-- use_sparse false; `method = "auto" | "dense" | "fft"`).  One input,
-- `velocity` (2,); states `s`, `r`, `center_position`; methods in
-- `canns.models.grid_cell`.
-- @function GridCell2DVelocity
M.GridCell2DVelocity = constructor "GridCell2DVelocity"

--- Position-driven twisted-torus grid module (upstream `GridCell2DPosition`:
-- length 30, tau 10, k 1, a 0.8, A 3, J0 5, mapping_ratio 1.5,
-- noise_strength 0.1, conn_noise 0, g 1).  One input, `position` (2,).
-- @function GridCell2DPosition
M.GridCell2DPosition = constructor "GridCell2DPosition"

M.grid_cell = require "canns.models.grid_cell"
M.theta_sweep = require "canns.models.theta_sweep"; for k, v in pairs(M.theta_sweep.exports) do M[k] = v end
M.hierarchical = require "canns.models.hierarchical"; for k, v in pairs(M.hierarchical.exports) do M[k] = v end

--- Build a registered model class by name (built-in or added by a C
-- module, see docs/extending.md).
-- @string name class name
-- @tparam[opt] table opts keyword arguments
-- @function create
M.create = function(name, opts) return core.model_new(name, opts) end

--- Names of the registered model classes.
-- @function classes
M.classes = core.model_classes

--- Whether `x` is a model object built in C.
-- @function is_model
M.is_model = core.ismodel

-- Classes registered later (by C modules) are reachable as fields too:
-- canns.models.MyModel{...}.
setmetatable(M, {
  __index = function(t, k)
    if type(k) ~= "string" then return nil end
    for _, n in ipairs(core.model_classes()) do
      if n == k then
        local f = constructor(n)
        rawset(t, k, f)
        return f
      end
    end
    return nil
  end,
})

return M
