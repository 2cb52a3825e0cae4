-- The four binary pictures of the Hopfield examples (a face, a house,
-- rings, a spiral), drawn on [-1, 1]^2 and thresholded at their mean
-- (> mean -> +1, else -1).  Loaded by the examples with
--   dofile(script_dir .. "lib/hopfield_pictures.lua")
-- and returns the function pictures(n) -> list of four float32 {n * n}.
local canns = require "canns"

-- Four pictures on [-1, 1]^2, thresholded at their mean (> mean -> +1).
return function(n)
  local c = canns.linspace(-1, 1, n):astype("float64")
  local X = c:reshape(1, n) * canns.ones({n, 1}, "float64")
  local Y = c:reshape(n, 1) * canns.ones({1, n}, "float64")
  local R = canns.sqrt(X * X + Y * Y)
  local T = canns.atan2(Y, X)
  local function disc(cx, cy, r) return canns.sqrt((X - cx) * (X - cx) + (Y - cy) * (Y - cy)):lt(r) end
  local face = canns.where(R:lt(0.8), 1.0, 0.0) - canns.where(disc(-0.3, -0.25, 0.15), 1.0, 0.0)
               - canns.where(disc(0.3, -0.25, 0.15), 1.0, 0.0)
               - canns.where(canns.abs(R - 0.45):lt(0.08) * Y:gt(0.15), 1.0, 0.0)
  local house = canns.where(canns.abs(X):lt(0.6) * Y:gt(0.0) * Y:lt(0.8), 1.0, 0.0)
                + canns.where(Y:le(0.0) * (Y + 0.8):gt(canns.abs(X)), 1.0, 0.0)
                - canns.where(canns.abs(X - 0.25):lt(0.12) * Y:gt(0.4), 1.0, 0.0)
  local rings = canns.sin(R * 14.0) + 0.3 * X
  local spiral = canns.sin(T * 3.0 + R * 12.0)
  local out = {}
  for i, img in ipairs{face, house, rings, spiral} do
    local m = canns.mean(img)
    out[i] = canns.where(img:gt(m), 1.0, -1.0):astype("float32"):reshape(n * n)
  end
  return out
end
