--- The brain-inspired model contract shared by the trainers (upstream
-- `canns.models.brain_inspired.BrainInspiredModel`).
--
-- A model is a Lua table.  Trainers reach its parts by name:
--
-- | member | default | meaning |
-- |---|---|---|
-- | `weight_attr` | `"W"` | field holding the weight array trainers modify |
-- | `predict_state_attr` | `"s"` | field holding the state vector the generic predict loop reads and writes |
-- | `update(self, prev_energy)` | | one step of the dynamics (generic predict loop) |
-- | `energy` | | a number, or a method returning one |
-- | `resize(self, n, preserve_submatrix)` | optional | re-dimension W and the state |
-- | `forward(self, x)` | optional | output of a layer (Oja, Sanger, BCM, STDP `predict`) |
-- | `theta`, `threshold_tau` | BCM | sliding thresholds |
-- | `trace_pre`, `trace_post`, `v`, `threshold`, `v_reset`, `leak`, `trace_decay` | STDP | LIF state and constants |
-- | `apply_hebbian_learning(self, patterns)` | optional | Hebbian fallback when W is not square |
--
-- Arrays are canns float32 arrays.  A model written in Lua that follows
-- this table plugs into every trainer; `BrainInspiredModel.extend(name)`
-- makes a class with the defaults.
-- @module canns.models.brain_inspired.base

local A = require "canns.argcheck"

local M = {}

local function not_implemented(name)
  return function(self) A.error(tostring(self.name or "BrainInspiredModel"), "%s is not implemented", name) end
end

--- Base methods (the defaults upstream's base class has).
M.BrainInspiredModel = {
  weight_attr = "W",
  predict_state_attr = "s",
  apply_hebbian_learning = not_implemented("apply_hebbian_learning"),
  predict = not_implemented("predict"),
  resize = not_implemented("resize"),
}

--- A new class called `name` whose instances see `props` (a table of
-- name -> function(self) computed on read, like Python properties), then
-- the class's methods, then the base defaults.
-- @string name
-- @treturn table class (add methods to it)
function M.extend(name)
  local cls = {name = name, props = {}}
  cls.__index = function(self, k)
    local p = cls.props[k]
    if p then return p(self) end
    local v = rawget(cls, k)
    if v ~= nil then return v end
    return M.BrainInspiredModel[k]
  end
  cls.__name = name
  cls.__tostring = function(self) return name .. "(" .. (cls.describe and cls.describe(self) or "") .. ")" end
  return cls
end

--- The sizes of a layer (LinearLayer, SpikingLayer) from its checked
-- options: `input_size`, `output_size` given by name or as positional 1, 2
-- (not both), each a count in 1..2^24 with a product of at most 2^28.
-- @tparam table o the options (from `canns.argcheck.options`, positional kept)
-- @string fn the constructor's name for messages
-- @treturn int input_size
-- @treturn int output_size
function M.layer_sizes(o, fn)
  if #o > 2 then A.error(fn, "takes two positional arguments, got %d", #o) end
  local function pick(i, key)
    if o[i] ~= nil and o[key] ~= nil then A.error(fn, "%s given both by position and by name", key) end
    return A.count(o[i] ~= nil and o[i] or o[key], fn, key, nil, {min = 1, max = 1 << 24})
  end
  local n_in, n_out = pick(1, "input_size"), pick(2, "output_size")
  if n_in * n_out > 1 << 28 then
    A.error(fn, "input_size * output_size must be at most 2^28, got %d", n_in * n_out)
  end
  return n_in, n_out
end

--- The value of the energy slot of any model (a number or a method).
function M.energy_of(model)
  local e = model.energy
  if type(e) == "function" then e = e(model) end
  return e
end

--- `BrainInspiredModelGroup`: a plain list of models (upstream adds nothing).
M.BrainInspiredModelGroup = M.BrainInspiredModel

return M
