--- Trainers for the brain-inspired models (upstream `canns.trainer`):
-- `HebbianTrainer`, `AntiHebbianTrainer`, `OjaTrainer`, `SangerTrainer`,
-- `BCMTrainer`, `STDPTrainer` on the `Trainer` protocol, and `utils`;
-- `tr:fit(data, opts)` trains several epochs with a learning-rate
-- schedule, callbacks and early stopping (canns.trainer.fit).
--
--     local tr = canns.trainer.HebbianTrainer{model = net}
--     tr:train(patterns); local out = tr:predict_batch(probes)
--
-- Each trainer takes one table of keyword arguments (`model` may be
-- positional).  The learning loops run in C on the model's float32 arrays.
-- @module canns.trainer

local B = require "canns.trainer.base"

local F = require "canns.trainer.fit"

--- `utils`, `Trainer`; `fit(trainer, data, opts)` and `scheduled_rate`
-- (canns additions: every trainer also has the method `tr:fit(data,
-- opts)`; the function form serves a trainer written in Lua that has a
-- `train` method).
local M = {utils = require "canns.trainer.utils", Trainer = B.Trainer, fit = F.fit,
           scheduled_rate = F.scheduled_rate}

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
