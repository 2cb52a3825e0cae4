--- Trainers for the brain-inspired models (upstream `canns.trainer`):
-- `HebbianTrainer`, `AntiHebbianTrainer`, `OjaTrainer`, `SangerTrainer`,
-- `BCMTrainer`, `STDPTrainer` on the `Trainer` protocol, and `utils`.
--
--     local tr = canns.trainer.HebbianTrainer{model = net}
--     tr:train(patterns); local out = tr:predict_batch(probes)
--
-- Each trainer takes one table of keyword arguments (`model` may be
-- positional).  The learning loops run in C on the model's float32 arrays.
-- @module canns.trainer

local B = require "canns.trainer.base"

local M = {utils = require "canns.trainer.utils", Trainer = B.Trainer}

local function add(mod)
  for k, cls in pairs(require(mod)) do
    M[k] = function(opts, ...)
      if select("#", ...) > 0 then
        error(k .. ": takes one table of keyword arguments, e.g. " .. k .. "{model = m}", 2)
      end
      return cls.new(opts)
    end
  end
end
add "canns.trainer.hebbian"
add "canns.trainer.pca"
add "canns.trainer.bcm"
add "canns.trainer.stdp"

return M
