-- Prints, as hex floats, the results of every operation docs/lua-api.md
-- promises to give the same numbers for any thread count; tests/threads_same.sh
-- runs it with OMP_NUM_THREADS=1 and 2 and compares the outputs byte for byte.
local canns = require "canns"
local out = {}
local function put(tag, x)
  if type(x) == "number" then out[#out + 1] = tag .. " " .. string.format("%a", x); return end
  if type(x) == "boolean" then out[#out + 1] = tag .. " " .. tostring(x); return end
  local f = x:flatten()
  local n = f:size()
  local t = {}
  local isf = f:dtype():match("^float")
  for i = 1, n do t[i] = isf and string.format("%a", f[i]) or tostring(f[i]) end
  out[#out + 1] = tag .. " " .. table.concat(t, " ")
end
canns.random.seed(7)
for _, dt in ipairs({"float32", "float64"}) do
  -- big enough that the kernels split work across threads
  local a = canns.random.normal({300, 700}, 0, 1, dt)
  put("sum", a:sum()); put("mean", a:mean()); put("std", a:std()); put("var", a:var())
  put("sum1", a:sum(1)); put("sum2", a:sum(2)); put("mean2", a:mean(2)); put("std1", a:std({axis = 1}))
  put("max2", a:max(2)); put("argmax1", a:argmax(1)); put("cumsum", a:slice(1, {1, 3}):cumsum())
  put("prod", (a:slice(1, 1) * 0.01 + 1):prod())
  put("ew", canns.exp(a * 0.1) + canns.sin(a) * a - canns.sqrt(canns.abs(a)))
  put("rfft", canns.fft.rfft(a:slice(1, {1, 8})))
  put("irfft", canns.fft.irfft(canns.fft.rfft(a:slice(1, {1, 8})), 700))
  put("min1", a:min(1)); put("argmin2", a:argmin(2))
  put("any2", a:gt(3):any(2)); put("all1", a:gt(-4):all(1))
  put("uniform", canns.random.uniform({200000}, 0, 1, dt):sum())
  -- bump analysis on the ring and the torus
  local c = canns.models.CANN1D{num = 512, dtype = dt}
  local r = canns.random.uniform({300, 512}, 0, 1, dt)
  put("bump_center1", canns.analyzer.bump_center(c, r))
  put("bump_height1", canns.analyzer.bump_height(c, r))
  put("bump_width1", canns.analyzer.bump_width(c, r))
  put("tracking_lag1", canns.analyzer.tracking_lag(c, r, canns.linspace(-3, 3, 300)))
  local c2 = canns.models.CANN2D{length = 24, dtype = dt}
  local r2 = canns.random.uniform({20, 24, 24}, 0, 1, dt)
  put("bump_center2", canns.analyzer.bump_center(c2, r2))
  put("bump_width2", canns.analyzer.bump_width(c2, r2))
end
-- persistent homology and the shuffle null model
local tda = canns.analyzer.tda
local X = canns.random.normal({120, 3}, 0, 1)
put("pdist", tda.pairwise_distances(X))
local res = tda.ripser(X, {maxdim = 1})
put("dgm0", res.dgms[1]); put("dgm1", res.dgms[2])
local spikes = canns.random.uniform({200, 12}, 0, 1)
local null = tda.shuffle_null_model(spikes, {num_shuffles = 8, maxdim = 1, seed = 3})
put("null0", null[1]); put("null1", null[2])
-- a CANN run with the exact spectral / FFT methods
for _, m in ipairs({"spectral", "fft"}) do
  local c = canns.models.CANN1D{num = 512, method = m}
  local task = canns.task.SmoothTracking1D{cann_instance = c, Iext = {0, 2}, duration = {10}}
  task:get_data()
  put("run_" .. m, canns.run(c, task).u:slice(1, -1))
end
-- the theta-sweep chain with noise (Philox) and the torus FFT
do
  canns.set_dt(1.0)
  canns.random.seed(9)
  local dc = canns.models.DirectionCellNetwork{num = 40}
  local gc = canns.models.GridCellNetwork{num_dc = 40, num_gc_x = 40}
  local T = 30
  local d = canns.run(dc, {head_direction = canns.linspace(0, 1, T), theta_input = canns.ones({T})},
                      {record = {"r"}})
  local pos = canns.zeros({T, 2}) + 0.3
  put("theta_gc", canns.run(gc, {animal_position = pos, direction_activity = d.r,
                                 theta_modulation = canns.ones({T})}, {record = {"r"}}).r:slice(1, -1))
  canns.set_dt(0.1)
end
-- BTN classification (autocorrelograms, smoothing, distances, kNN, ToMATo)
do
  local cc = canns.analyzer.data.cell_classification
  local d = cc.synthetic_btn_spike_trains{n_per_class = 30, duration = 30, seed = 5}
  local r = cc.BTNAnalyzer{n_clusters = 3, nbs = 10}:classify_btn(d, {return_intermediates = true})
  put("btn_labels", r.labels); put("btn_acorr", r.intermediates.acorr)
  put("btn_dist", r.intermediates.distance_matrix); put("btn_w", r.intermediates.density_weights)
end
io.write(table.concat(out, "\n"), "\n")
