--- matplotlib's 3-D view as a projection to the plane, for the figures
-- that draw 3-D data on the 2-D figure layer (the gallery's manifold,
-- ASA's `plot_projection` and torus animation).
-- @module canns.analyzer.visualization.view3d

local M = {}

--- The screen basis of a view at elevation `elev` and azimuth `azim`
-- (degrees, matplotlib's `view_init`): right, up and towards-the-eye
-- unit vectors.
function M.basis(elev, azim)
  local az, el = math.rad(azim), math.rad(elev)
  return {-math.sin(az), math.cos(az), 0},
         {-math.sin(el) * math.cos(az), -math.sin(el) * math.sin(az), math.cos(el)},
         {math.cos(el) * math.cos(az), math.cos(el) * math.sin(az), math.sin(el)}
end

--- Project the rows of P (a Lua list of {x, y, z}) as matplotlib's
-- default axes do: each coordinate scaled from [lo, hi] (default: the
-- data range) into the box (default {1, 1, 0.75}) centred at 0, then onto
-- the view's screen.  Returns lists xs, ys and the depth towards the
-- eye (larger is nearer).
-- @tparam table P rows {x, y, z}
-- @tparam[opt] table opts `elev` (30), `azim` (-60), `box`, `lo`, `hi`
function M.project(P, opts)
  opts = opts or {}
  local right, up, eye = M.basis(opts.elev or 30, opts.azim or -60)
  local box = opts.box or {1, 1, 0.75}
  local lo, hi = opts.lo, opts.hi
  if not lo then
    lo, hi = {math.huge, math.huge, math.huge}, {-math.huge, -math.huge, -math.huge}
    for _, p in ipairs(P) do
      for c = 1, 3 do lo[c], hi[c] = math.min(lo[c], p[c]), math.max(hi[c], p[c]) end
    end
  end
  local xs, ys, ds = {}, {}, {}
  for t, p in ipairs(P) do
    local q = {}
    for c = 1, 3 do
      local span = hi[c] - lo[c]
      q[c] = ((span > 0 and (p[c] - lo[c]) / span or 0.5) - 0.5) * box[c]
    end
    xs[t] = q[1] * right[1] + q[2] * right[2] + q[3] * right[3]
    ys[t] = q[1] * up[1] + q[2] * up[2] + q[3] * up[3]
    ds[t] = q[1] * eye[1] + q[2] * eye[2] + q[3] * eye[3]
  end
  return xs, ys, ds
end

return M
