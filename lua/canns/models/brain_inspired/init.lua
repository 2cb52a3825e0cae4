--- Brain-inspired models (upstream `canns.models.brain_inspired`):
-- `AmariHopfieldNetwork`, `LinearLayer`, `SpikingLayer`, and the model
-- contract the trainers use (`BrainInspiredModel`, see base.lua).
-- Merged into `canns.models`.
-- @module canns.models.brain_inspired

local base = require "canns.models.brain_inspired.base"
local Hop = require "canns.models.brain_inspired.hopfield"
local Lin = require "canns.models.brain_inspired.linear"
local Spk = require "canns.models.brain_inspired.spiking"

local function ctor(cls)
  return function(opts, ...)
    if select("#", ...) > 0 then
      error(cls.name .. ": takes one table of keyword arguments, e.g. " .. cls.name .. "{...}", 2)
    end
    return cls.new(opts)
  end
end

return {
  AmariHopfieldNetwork = ctor(Hop),
  LinearLayer = ctor(Lin),
  SpikingLayer = ctor(Spk),
  BrainInspiredModel = base.BrainInspiredModel,
  BrainInspiredModelGroup = base.BrainInspiredModelGroup,
  extend = base.extend,
}
