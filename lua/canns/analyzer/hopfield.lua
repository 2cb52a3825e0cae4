--- Diagnostics of a Hopfield memory (upstream
-- `canns.analyzer.model_specific.hopfield.HopfieldAnalyzer`).
--
--     local an = canns.analyzer.HopfieldAnalyzer{model = net, stored_patterns = P}
--     an:compute_energy(p), an:compute_overlap(a, b), an:analyze_recall(inp, out),
--     an:estimate_capacity(), an:get_statistics(), an:compute_weight_symmetry_error()
--
-- Energies here are -0.5 p^T W p (no threshold term, as upstream).
-- `best_match_idx` is 1-based.
-- @module canns.analyzer.hopfield

local core = require "canns.core"
local A = require "canns.argcheck"
local B = require "canns.trainer.base"

local NAME = "HopfieldAnalyzer"
local H = {}
H.__index = H

local function weights(self, f)
  local attr = self.model.weight_attr
  if type(attr) == "function" then attr = attr(self.model) end
  return B.weights(self.model, attr or "W", f)
end

--- Build: `model` (or positional 1), `stored_patterns` (optional).
function H.new(opts)
  local o = A.options(opts, NAME, {"model", "stored_patterns"}, {positional = true})
  local self = setmetatable({}, H)
  self.model = B.model(o, NAME)
  self.stored_patterns = nil
  self.pattern_energies = {}
  if o.stored_patterns ~= nil then self:set_patterns(o.stored_patterns) end
  return self
end

--- Store patterns (float32 (P, N)) and compute their energies.
function H:set_patterns(patterns)
  self.stored_patterns = B.matrix(patterns, NAME .. ".set_patterns", 1, "patterns", nil, true)
  self:compute_pattern_energies()
end

--- Energies of the stored patterns (a Lua list).
function H:compute_pattern_energies()
  self.pattern_energies = {}
  if not self.stored_patterns then return self.pattern_energies end
  local W = weights(self, NAME .. ".compute_pattern_energies")
  if W:shape(1) ~= self.stored_patterns:shape(2) then
    A.error(NAME, "stored patterns have length %d but W is %dx%d", self.stored_patterns:shape(2),
            W:shape(1), W:shape(2))
  end
  local e = core.hopfield_energy(W, self.stored_patterns, 0.0)
  for i = 1, e:size() do self.pattern_energies[i] = e[i] end
  return self.pattern_energies
end

--- a . b / len(a).
function H:compute_overlap(a, b)
  local f = NAME .. ".compute_overlap"
  a = B.vector(a, f, 1, "pattern1")
  b = B.vector(b, f, 2, "pattern2", a:size())
  return core.dot(a:astype("float64"), b:astype("float64")) / a:size()
end

--- -0.5 p^T W p.
function H:compute_energy(p)
  local f = NAME .. ".compute_energy"
  local W = weights(self, f)
  return core.hopfield_energy(W, B.vector(p, f, 1, "pattern", W:shape(1)), 0.0)
end

--- {best_match_idx (1-based), best_match_overlap (with stored patterns),
-- input_output_overlap, output_energy}.
function H:analyze_recall(input, output)
  local d = {}
  if self.stored_patterns and self.stored_patterns:shape(1) > 0 then
    local best, bi = -math.huge, nil
    for i = 1, self.stored_patterns:shape(1) do
      local ov = self:compute_overlap(output, self.stored_patterns[i])
      if ov > best then best, bi = ov, i end
    end
    d.best_match_idx, d.best_match_overlap = bi, best
  end
  d.input_output_overlap = self:compute_overlap(input, output)
  d.output_energy = self:compute_energy(output)
  return d
end

--- model.storage_capacity, else max(1, floor(0.14 N)) (N = num_neurons or 100).
function H:estimate_capacity()
  local c = self.model.storage_capacity
  if c ~= nil then return c end
  return math.max(1, math.floor(0.14 * (self.model.num_neurons or 100)))
end

--- num_patterns, capacity_estimate, capacity_usage and (with patterns)
-- mean/std (population)/min/max of the pattern energies.
function H:get_statistics()
  local P = self.stored_patterns and self.stored_patterns:shape(1) or 0
  local cap = self:estimate_capacity()
  local s = {num_patterns = P, capacity_estimate = cap, capacity_usage = P / math.max(1, cap)}
  local e = self.pattern_energies
  if #e > 0 then
    local sum, mn, mx = 0, math.huge, -math.huge
    for _, v in ipairs(e) do sum = sum + v; mn = math.min(mn, v); mx = math.max(mx, v) end
    local mean, var = sum / #e, 0
    for _, v in ipairs(e) do var = var + (v - mean) ^ 2 end
    s.mean_pattern_energy, s.std_pattern_energy = mean, math.sqrt(var / #e)
    s.min_pattern_energy, s.max_pattern_energy = mn, mx
  end
  return s
end

--- ||W - W^T||_F / ||W||_F.
function H:compute_weight_symmetry_error()
  local W = weights(self, NAME .. ".compute_weight_symmetry_error"):astype("float64")
  local D = W - W:transpose()
  return math.sqrt(core.sum(D * D)) / math.sqrt(core.sum(W * W))
end

return {HopfieldAnalyzer = function(opts, ...)
  if select("#", ...) > 0 then error("HopfieldAnalyzer: takes one table of keyword arguments", 2) end
  return H.new(opts)
end}
