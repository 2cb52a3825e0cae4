--- Hierarchical path-integration models (upstream
-- `canns.models.basic.hierarchical_model`): the band-cell parts
-- `GaussRecUnits` and `NonRecUnits`, `BandCell`, the hexagonal grid sheet
-- `GridCell`, one grid module `HierarchicalPathIntegrationModel` and the
-- network of modules read out by place cells `HierarchicalNetwork` (all
-- built in C), with their methods beyond the common `update`, `reset`,
-- `state_names`, ... .  Loaded by `canns.models`, which re-exports the
-- constructors.
--
--     canns.set_dt(0.05)
--     local net = canns.models.HierarchicalNetwork{num_module = 5, num_place = 30}
--     net:update(velocity, loc, 100)          -- inputs velocity, loc, loc_input_stre
--     print(net.decoded_pos, net.module1.grid_cell.r)
--     canns.run(net, {velocity = v, loc = p}, {record = {"decoded_pos", "module1.grid_cell.r"}})
--
-- Composite models expose their parts as fields: a BandCell's
-- `band_cells`, `left`, `right`; a module's `band_cell_x`, `band_cell_y`,
-- `band_cell_z`, `grid_cell`; a network's `module1` ... `moduleK` (also as
-- the list `MEC_model_list`, 1-based).  A dotted name reads a part's state
-- (`net["module2.band_cell_x.center"]`) and records it in `canns.run`.
-- @module canns.models.hierarchical

local core = require "canns.core"
local A = require "canns.argcheck"

local M = {}

local function f32(x) return (string.unpack("f", string.pack("f", x))) end
local PI = f32(math.pi)
local TWO_PI = f32(2 * math.pi)

-- numpy's remainder in float32 (the sign of y)
local function remainder(x, y)
  local r = f32(math.fmod(x, y))
  if r ~= 0 and ((r < 0) ~= (y < 0)) then r = f32(r + y) end
  return r
end

-- map2pi: wrap once into [-pi, pi]
local function wrap(d)
  if d > PI then d = f32(d - TWO_PI) end
  if d < -PI then d = f32(d + TWO_PI) end
  return d
end

-- apply f to every value of an array (or number), float32 out
local function map_values(v, fn, name, f)
  if type(v) == "number" then return f(f32(v)) end
  local a = core.array(A.array(v, fn, 1, name, {convert = true}), "float32")
  local t, shape = a:reshape({a:size()}):totable(), a:shape()
  for i = 1, #t do t[i] = f(t[i]) end
  return core.array(t, "float32"):reshape(shape)
end

local function constructor(name)
  return function(opts, ...)
    if select("#", ...) > 0 then
      error(name .. ": takes one table of keyword arguments, e.g. " .. name .. "{...}", 2)
    end
    return core.model_new(name, opts)
  end
end

--- Ring attractor of a band cell (upstream `GaussRecUnits`: `size`
-- (required), tau 1, J0 1.1 (a multiple of the critical strength), k 5e-4,
-- a 2 pi/9, z_min -pi, z_max pi, noise 2 (stored, unused); and
-- `method = "auto" | "dense" | "fft"`).  Input `input` (size,); states `r`,
-- `u`, `input`, `center`, `x`, `conn_mat`; starts from a bump at 0.
-- @function GaussRecUnits
M.GaussRecUnits = constructor "GaussRecUnits"

--- Leaky shifter ring (upstream `NonRecUnits`: `size` (required), tau 0.1,
-- z_min, z_max, noise 2).  Input `input`; states `r` (the rectified
-- previous u, plus noise N(0, 1) times `noise`), `u`, `input`, `x`.
-- @function NonRecUnits
M.NonRecUnits = constructor "NonRecUnits"

--- Velocity-integrating band cell (upstream `BandCell`: `angle`, `spacing`
-- (required), size 180, z_min, z_max, noise 2, w_L2S 0.2, w_S2L 1,
-- gain 0.2, gauss_tau 1, gauss_J0 1.1, gauss_k 5e-4, gauss_a 2 pi/9,
-- nonrec_tau 0.1, `method`).  Inputs `velocity` (2), `loc` (2),
-- `loc_input_stre` (optional, 0); states `center`, `center_ideal`, `x`,
-- `W_PENl2EPG`, `W_PENr2EPG`; parts `band_cells`, `left`, `right`.
-- @function BandCell
M.BandCell = constructor "BandCell"

--- Hexagonal grid sheet with adaptation (upstream hierarchical `GridCell`:
-- `num` neurons per side, `angle`, `spacing` (required), tau 0.1,
-- tau_v 10, k 5e-3, a pi/9, A 1, J0 1, mbar 1, `method`).  Input `input`
-- (num^2,); states `r`, `u`, `v`, `input`, `center`, `x`, `x_grid`,
-- `y_grid`, `value_grid`, `conn_mat`.  Its parameter `num` reads num^2, as
-- upstream's attribute (`length` is the side).
-- @function GridCell
M.GridCell = constructor "GridCell"

local HPIM_KEYS = {"spacing", "angle", "place_center", "band_size", "band_noise", "band_w_L2S",
                   "band_w_S2L", "band_gain", "grid_num", "grid_tau", "grid_tau_v", "grid_k",
                   "grid_a", "grid_A", "grid_J0", "grid_mbar", "gauss_tau", "gauss_J0",
                   "gauss_k", "gauss_a", "nonrec_tau", "method"}

--- One grid module (upstream `HierarchicalPathIntegrationModel(spacing,
-- angle, place_center, band_size=180, band_noise=0, band_w_L2S=0.2,
-- band_w_S2L=1, band_gain=0.2, grid_num=20, grid_tau=0.1, grid_tau_v=10,
-- grid_k=5e-3, grid_a=pi/9, grid_A=1, grid_J0=1, grid_mbar=1, gauss_tau=1,
-- gauss_J0=1.1, gauss_k=5e-4, gauss_a=2 pi/9, nonrec_tau=0.1)`, and
-- `method`).  Called as `HierarchicalPathIntegrationModel{spacing = 3,
-- angle = 0, place_center = pc, ...}` or `(spacing, angle, place_center,
-- opts)`.  `place_center` (P, 2) is required (upstream crashes without
-- it).  Inputs as BandCell; states `grid_output`, `place_center`, `Wg2p`;
-- parts `band_cell_x`, `band_cell_y`, `band_cell_z`, `grid_cell`.
-- @function HierarchicalPathIntegrationModel
function M.HierarchicalPathIntegrationModel(spacing, angle, place_center, opts)
  local fn = "HierarchicalPathIntegrationModel"
  local o
  if type(spacing) == "table" and not core.isarray(spacing) then
    o = A.options(spacing, fn, HPIM_KEYS)
  else
    o = {}
    for k, v in pairs(A.options(opts, fn, HPIM_KEYS) or {}) do o[k] = v end
    o.spacing, o.angle, o.place_center = spacing, angle, place_center
  end
  A.number(o.spacing, fn, 1, "spacing")
  A.number(o.angle, fn, 2, "angle")
  local pc = o.place_center
  if pc == nil then
    A.fail(fn, 3, "place_center", "is required (a (P, 2) array of place-field centres)")
  end
  local rest = {}
  for k, v in pairs(o) do if k ~= "place_center" then rest[k] = v end end
  return core.hpim_new(pc, rest)
end

--- Grid modules read out by place cells (upstream `HierarchicalNetwork`:
-- `num_module`, `num_place` (place cells per side, required),
-- spacing_min 2, spacing_max 5, module_angle 0 and every module option of
-- `HierarchicalPathIntegrationModel`).  Inputs `velocity`, `loc`,
-- `loc_input_stre` (optional, 0); states `place_fr`, `grid_fr`
-- (num_module, grid_num^2), `band_x_fr`, `band_y_fr` (num_module,
-- band_size), `decoded_pos`, `place_center`, `spacing`; parts `module1` ...
-- @function HierarchicalNetwork
M.HierarchicalNetwork = constructor "HierarchicalNetwork"

-- ring distance of the model's feature range
local function ring_dist_fn(self)
  local zr, hzr = f32(self.z_range), f32(0.5 * self.z_range)
  return function(d)
    d = remainder(d, zr)
    if d > hzr then d = f32(d - zr) end
    return d
  end
end

-- hexagonal distance of (..., 2) phase differences
local function hexdist(self, d, fn)
  d = core.array(A.array(d, fn, 1, "d", {convert = true}), "float32")
  local shape = d:shape()
  if shape[#shape] ~= 2 then A.fail(fn, 1, "d", "must end in 2 components, got %s", A.describe(d)) end
  local t = d:reshape({d:size()}):totable()
  local out, s3 = {}, f32(math.sqrt(3))
  for i = 1, #t, 2 do
    local d0, d1 = wrap(t[i]), wrap(t[i + 1])
    local dy = f32(f32(f32(d1 - f32(0.5 * d0)) * 2) / s3)
    out[#out + 1] = f32(math.sqrt(f32(f32(d0 * d0) + f32(dy * dy))))
  end
  local osh = {}
  for i = 1, #shape - 1 do osh[i] = shape[i] end
  if #osh == 0 then return out[1] end
  return core.array(out, "float32"):reshape(osh)
end

local function angle_of(x, w)
  local re, im = (x:cos() * w):sum(), (x:sin() * w):sum()
  return f32(math.atan(f32(im), f32(re)))
end

--- GaussRecUnits / NonRecUnits methods.
-- @section rings
local R = {}

--- Periodic distance in the feature range (`dist`).
function R.dist(self, d) return map_values(d, "dist", "d", ring_dist_fn(self)) end

--- The connection matrix (`make_conn`; GaussRecUnits).
function R.make_conn(self) return self.conn_mat end

--- The critical connection strength `Jc` (GaussRecUnits).
function R.Jc(self) return self.J_c end

--- Population-vector decoding `angle(sum exp(i x) r / sum r)` (GaussRecUnits).
function R.decode(self, r)
  r = core.array(A.array(r, "decode", 1, "r", {convert = true}), "float32")
  local s = r:sum()
  return angle_of(self.x, r / s)
end

--- relu (NonRecUnits `activate`).
function R.activate(_, x)
  return map_values(x, "activate", "x", function(v) return v > 0 and v or 0.0 end)
end

-- `model.method`: "dense" or "fft", the products' method
local function method_attr(self, k) if k == "method" then return core.hier_method(self) end end
R.__index = method_attr

--- BandCell methods.
-- @section band
local B = {}
B.dist = R.dist

--- Phase of positions: `mod(pos . proj_k, 2 pi) - pi` ((2,) or (K, 2)).
function B.Postophase(self, pos) return core.hier_postophase(self, pos) end

--- The location input exp(-0.25 (dist(Postophase(pos) - x)/a)^2) (size,).
function B.get_stimulus_by_pos(self, pos) return core.band_stimulus(self, pos) end

--- Roll the ring's r and u by `shift` neurons (a testing helper).
function B.move_heading(self, shift) return core.band_move_heading(self, shift) end

--- `angle(sum exp(i x) band_cells.r)` (the stored `center` after a step).
function B.get_center(self) return angle_of(self.x, self.band_cells.r) end

--- Zero the shifters' u (upstream's `reset`; `reset_state` restores everything).
function B.reset(self) return core.band_reset(self) end

--- The shifter-to-band matrix for a phase shift (`make_conn(shift)`):
-- the stored `W_PENl2EPG` / `W_PENr2EPG` divided by w_S2L for
-- `shift = +-phase_shift`; any other shift is computed here.
function B.make_conn(self, shift)
  local fn = "make_conn"
  shift = f32(A.number(shift, fn, 1, "shift"))
  local x, n = self.x:totable(), self.size
  local a, rd = f32(self.band_cells.a), ring_dist_fn(self)
  local norm, out = f32(f32(math.sqrt(f32(2 * math.pi))) * a), {}
  for i = 1, n do
    for j = 1, n do
      local q = f32(rd(f32(f32(x[i] - x[j]) + shift)) / a)
      out[#out + 1] = f32(f32(math.exp(f32(-0.5 * f32(q * q)))) / norm)
    end
  end
  return core.array(out, "float32"):reshape({n, n})
end

function B.__index(self, k)
  if k == "method" then return core.hier_method(self) end
  if k == "proj_k" then return core.array({self.proj_k_x, self.proj_k_y}, "float32") end
  if k == "a" then return self.band_cells.a end
end

--- GridCell methods.
-- @section grid
local G = {}

G.__index = method_attr

--- Hexagonal distance of (..., 2) phase differences (`dist`).
function G.dist(self, d) return hexdist(self, d, "dist") end

--- Wrap once into [-pi, pi] (`circle_period`).
function G.circle_period(_, d) return map_values(d, "circle_period", "d", wrap) end

--- The connection matrix (`make_conn`).
function G.make_conn(self) return self.conn_mat end

--- Zero r, u, v, input and center (`reset_state`).
function G.reset_state(self) return self:reset() end

--- Per-axis decoded phase of the rates above a tenth of their maximum.
function G.get_center(self) return self.center end

--- HierarchicalPathIntegrationModel methods.
-- @section module
local H = {}

--- Phases (band x, band y) of (K, 2) positions (`Postophase`).
function H.Postophase(self, pos) return core.hier_postophase(self, pos) end

--- G_b(hexdist(Phase - value_grid)) (N,), without the factor 5000 of update.
function H.get_input(self, Phase) return core.hpim_get_input(self, Phase) end

--- Hexagonal distance (`dist`).
function H.dist(self, d) return hexdist(self, d, "dist") end

--- The grid -> place matrix (`make_Wg2p`; stored as `Wg2p`).
function H.make_Wg2p(self) return self.Wg2p end

function H.__index(self, k)
  if k == "method" then return core.hier_method(self) end
  if k == "proj_k_x" then return self.band_cell_x.proj_k end
  if k == "proj_k_y" then return self.band_cell_y.proj_k end
end

--- HierarchicalNetwork methods.
-- @section network
local N = {}

function N.__index(self, k)
  if k == "method" then return core.hier_method(self) end
  if k == "MEC_model_list" then
    local t = {}
    for i = 1, self.num_module do t[i] = self["module" .. i] end
    return t
  end
end

for _, name in ipairs {"GaussRecUnits", "NonRecUnits"} do core.set_class_methods(name, R) end
core.set_class_methods("BandCell", B)
core.set_class_methods("GridCell", G)
core.set_class_methods("HierarchicalPathIntegrationModel", H)
core.set_class_methods("HierarchicalNetwork", N)
M.ring_methods, M.band_methods, M.grid_methods, M.module_methods, M.network_methods =
  R, B, G, H, N

--- The names `canns.models` re-exports.
M.exports = {GaussRecUnits = M.GaussRecUnits, NonRecUnits = M.NonRecUnits,
             BandCell = M.BandCell, GridCell = M.GridCell,
             HierarchicalPathIntegrationModel = M.HierarchicalPathIntegrationModel,
             HierarchicalNetwork = M.HierarchicalNetwork}
return M
