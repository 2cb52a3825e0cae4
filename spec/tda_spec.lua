-- canns.analyzer.tda: Ripser against Bauer's binary (Debian's ripser 1.2.1)
-- and the plain reference, cocycles against the Python toolkit's Ripser
-- (fixtures from scripts/fixtures/make_tda_fixtures.py), the shuffle null
-- model, and bad input.
local canns = require "canns"
local tda = (canns.analyzer and canns.analyzer.tda) or require "canns.analyzer.tda"

local BAUER = "/usr/bin/ripser"

local function have_bauer()
  local f = io.open(BAUER, "rb")
  if f then f:close() return true end
  return false
end

-- point clouds from a seeded generator ------------------------------------
local function circle(g, n, noise)
  local t = g:uniform(n, 0, 2 * math.pi, "float64")
  local x = canns.cos(t) + g:normal(n, 0, noise, "float64")
  local y = canns.sin(t) + g:normal(n, 0, noise, "float64")
  return canns.concatenate({x:reshape(n, 1), y:reshape(n, 1)}, 2):astype("float32")
end

local function sphere(g, n)
  local v = g:normal({n, 3}, 0, 1, "float64")
  local r = canns.sqrt((v * v):sum(2)):reshape(n, 1)
  return (v / r):astype("float32")
end

local function torus(g, n)
  local u = g:uniform(n, 0, 2 * math.pi, "float64")
  local v = g:uniform(n, 0, 2 * math.pi, "float64")
  local rr = canns.cos(v) + 2
  local cols = {(rr * canns.cos(u)):reshape(n, 1), (rr * canns.sin(u)):reshape(n, 1),
                canns.sin(v):reshape(n, 1)}
  return canns.concatenate(cols, 2):astype("float32")
end

-- diagrams as sorted "birth|death" strings (printed like Ripser) ----------
local function fmt(x) return x == math.huge and "" or string.format("%g", x) end

-- Per dimension, the sorted list of bar(birth, death) strings.
local function sorted_bars(res, bar)
  local out = {}
  for d, dgm in ipairs(res.dgms) do
    local list = {}
    for i = 1, dgm:shape(1) do
      list[#list + 1] = bar(dgm:get(i, 1), dgm:get(i, 2))
    end
    table.sort(list)
    out[d] = list
  end
  return out
end

-- Bars as Bauer's ripser prints them (%g, an empty death for infinity).
local function ours(res)
  return sorted_bars(res, function(b, d) return fmt(b) .. "|" .. fmt(d) end)
end

local function run_bauer(args, text)
  local path = os.tmpname()
  local f = assert(io.open(path, "w"))
  f:write(text)
  f:close()
  local p = io.popen(BAUER .. " " .. args .. " " .. path .. " 2>/dev/null")
  local output = p:read("a")
  p:close()
  os.remove(path)
  local out, d = {}, nil
  for line in output:gmatch("[^\n]+") do
    local dd = line:match("persistence intervals in dim (%d+):")
    if dd then
      d = tonumber(dd) + 1
      out[d] = {}
    elseif d then
      local b, e = line:match("%[([^,]*),%s*([^)]*)%)")
      if b then
        if e == "1e+30" then e = "" end -- our stand-in for +inf
        table.insert(out[d], b .. "|" .. e)
      end
    end
  end
  for _, list in pairs(out) do table.sort(list) end
  return out
end

local function points_text(X)
  local rows = {}
  for i, row in ipairs(X:totable()) do
    local cells = {}
    for k, v in ipairs(row) do cells[k] = string.format("%.9g", v) end
    rows[i] = table.concat(cells, " ")
  end
  return table.concat(rows, "\n") .. "\n"
end

local function lower_text(D)
  local t, n = D:totable(), D:shape(1)
  local out = {}
  for i = 2, n do
    for j = 1, i - 1 do
      local v = t[i][j]
      out[#out + 1] = string.format("%.9g", v == math.huge and 1e30 or v)
    end
  end
  return table.concat(out, "\n") .. "\n"
end

-- every dimension Ripser printed must agree; the others must be empty here
local function assert_same(a, b, what)
  for d = 1, #a do
    if b[d] then
      assert.are.same(b[d], a[d], what .. ": H" .. (d - 1))
    else
      assert.are.equal(0, #a[d], what .. ": H" .. (d - 1) .. " should be empty")
    end
  end
end

-- Bars to float32 round-trip precision, for comparing two of our results.
local function sorted_values(res)
  return sorted_bars(res, function(b, d) return string.format("%.9g|%.9g", b, d) end)
end

describe("tda.ripser", function()
  it("returns maxdim+1 diagrams of shape {n_bars, 2} and the ripser.py fields", function()
    local g = canns.random.Generator(1)
    local X = g:uniform({40, 3})
    local res = tda.ripser(X, {maxdim = 2, coeff = 2, thresh = math.huge, do_cocycles = true})
    assert.are.equal(3, #res.dgms)
    for d = 1, 3 do
      assert.are.equal(2, res.dgms[d]:ndim())
      assert.are.equal(2, res.dgms[d]:shape(2))
      if d > 1 then assert.are.equal(res.dgms[d]:shape(1), #res.cocycles[d]) end
    end
    assert.are.equal(40, res.dgms[1]:shape(1)) -- 39 merges + 1 essential
    assert.are.equal(0, #res.cocycles[1])
    assert.are.equal(res.dgms[2]:shape(1), #res.cocycles[2])
    local c = res.cocycles[2][1]
    assert.are.equal("int64", c:dtype())
    assert.are.equal(3, c:shape(2))
    assert.is_true(c:get(1, 1) > c:get(1, 2) and c:get(1, 2) >= 1) -- 1-based, decreasing
    assert.are.equal(1, c:get(1, 3))
    assert.are.equal(40, res.idx_perm:size())
    assert.are.equal(1, res.idx_perm:get(1))
    assert.are.equal(0, res.r_cover)
    assert.is_true(res.num_edges > 0 and res.num_edges <= 40 * 39 / 2)
    assert.are.same({40, 40}, res.dperm2all:shape())
  end)

  it("matches Bauer's ripser bar for bar on point clouds", function()
    if not have_bauer() then return pending("no " .. BAUER) end
    local g = canns.random.Generator(2026)
    local cases = {
      {"circle", circle(g, 100, 0.05), 1},
      {"sphere", sphere(g, 60), 2},
      {"torus", torus(g, 80), 2},
      {"random", g:uniform({70, 3}), 2},
    }
    -- clusters, duplicated points, two points
    local cl = g:normal({45, 3}, 0, 0.3)
    for i = 1, 45 do cl[{i, (i % 3) + 1}] = cl:get(i, (i % 3) + 1) + 5 end
    cases[#cases + 1] = {"clusters", cl, 2}
    local base = g:uniform({20, 2})
    cases[#cases + 1] = {"duplicates", canns.concatenate({base, base}, 1), 2}
    cases[#cases + 1] = {"two points", canns.array({{0, 0}, {2, 0}}), 1}
    for _, c in ipairs(cases) do
      local name, X, maxdim = c[1], c[2], c[3]
      local res = tda.ripser(X, {maxdim = maxdim})
      local ref = run_bauer("--format point-cloud --dim " .. maxdim, points_text(X))
      assert_same(ours(res), ref, name)
    end
    -- with a threshold (neighbour-list enumerator)
    local X = torus(g, 70)
    local res = tda.ripser(X, {maxdim = 2, thresh = 1.3})
    assert_same(ours(res), run_bauer("--format point-cloud --dim 2 --threshold 1.3", points_text(X)),
                "torus, thresh 1.3")
  end)

  it("matches Bauer's ripser on distance matrices with ties and infinities", function()
    if not have_bauer() then return pending("no " .. BAUER) end
    local g = canns.random.Generator(7)
    -- Manhattan distances of integer points: many ties and zero distances
    local P = canns.floor(g:uniform({30, 2}, 0, 4))
    local D = tda.pairwise_distances(P, "manhattan")
    local res = tda.ripser(D, {maxdim = 2, distance_matrix = true})
    assert_same(ours(res), run_bauer("--format lower-distance --dim 2", lower_text(D)), "ties")
    -- +inf between two groups (every row holds one: threshold +inf)
    local X = g:uniform({24, 2})
    D = tda.pairwise_distances(X)
    for i = 1, 24 do
      for j = 1, 24 do
        if (i <= 12) ~= (j <= 12) then D[{i, j}] = math.huge end
      end
    end
    res = tda.ripser(D, {maxdim = 2, distance_matrix = true})
    assert.are.equal(math.huge, res.threshold)
    assert_same(ours(res), run_bauer("--format lower-distance --dim 2", lower_text(D)), "infinities")
  end)

  it("gives a single point one essential H0 bar (Ripser itself aborts there)", function()
    local res = tda.ripser({{0.5, 0.5}}, {maxdim = 2})
    assert.are.same({1, 2}, res.dgms[1]:shape())
    assert.are.equal(0, res.dgms[1]:get(1, 1))
    assert.are.equal(math.huge, res.dgms[1]:get(1, 2))
    assert.are.equal(0, res.dgms[2]:shape(1))
    assert.are.equal(0, res.dgms[3]:shape(1))
  end)

  it("agrees with the plain reference for coefficients 3 and 65521", function()
    local g = canns.random.Generator(3)
    for _, p in ipairs({3, 65521}) do
      for _, X in ipairs({g:uniform({14, 3}), torus(g, 16)}) do
        local a = tda.ripser(X, {maxdim = 2, coeff = p})
        local b = tda.ripser_reference(X, {maxdim = 2, coeff = p})
        assert.are.same(sorted_values(b), sorted_values(a))
      end
    end
  end)

  it("reproduces the Python toolkit's cocycles (canns_lib fixtures)", function()
    for _, name in ipairs({"cocycles_random30_p2", "cocycles_torus40_p3", "cocycles_circle50_p47"}) do
      local lines = {}
      for line in io.lines(testutil.fixture("tda/" .. name .. ".txt")) do lines[#lines + 1] = line end
      local n, maxdim, p = lines[1]:match("(%d+) (%d+) (%d+)")
      n, maxdim, p = tonumber(n), tonumber(maxdim), tonumber(p)
      local D = canns.zeros({n, n})
      local k = 2
      for i = 2, n do
        for j = 1, i - 1 do
          local v = tonumber(lines[k])
          D[{i, j}] = v
          D[{j, i}] = v
          k = k + 1
        end
      end
      local res = tda.ripser(D, {maxdim = maxdim, coeff = p, distance_matrix = true, do_cocycles = true})
      local d
      local bar = 0
      while k <= #lines do
        local line = lines[k]
        local dd, nb = line:match("^dim (%d+) (%d+)")
        if dd then
          d = tonumber(dd)
          assert.are.equal(tonumber(nb), res.dgms[d + 1]:shape(1), name .. " H" .. d)
          bar = 0
          k = k + 1
        else
          local b, e, rows = line:match("^bar (%S+) (%S+) (%d+)")
          bar = bar + 1
          local dgm = res.dgms[d + 1]
          -- values written with %.9g: identify float32 numbers exactly
          assert.are.equal(b, string.format("%.9g", dgm:get(bar, 1)))
          assert.are.equal(e, dgm:get(bar, 2) == math.huge and "inf" or string.format("%.9g", dgm:get(bar, 2)))
          rows = tonumber(rows)
          if d > 0 then
            local cc = res.cocycles[d + 1][bar]
            assert.are.equal(rows, cc:shape(1), name .. " H" .. d .. " cocycle " .. bar)
            for r = 1, rows do
              local vals = {}
              for x in lines[k + r]:gmatch("%S+") do vals[#vals + 1] = tonumber(x) end
              -- canns_lib lists dim >= 2 vertices ascending; ripser.py (and we) descending
              local verts = {}
              for i = 1, d + 1 do verts[i] = vals[i] + 1 end
              if d >= 2 then table.sort(verts, function(x, y) return x > y end) end
              for i = 1, d + 1 do assert.are.equal(verts[i], cc:get(r, i)) end
              assert.are.equal(vals[d + 2], cc:get(r, d + 2))
            end
          end
          k = k + 1 + rows
        end
      end
    end
  end)

  it("gives the same diagrams and cocycles on 1 and 2 threads", function()
    local X = torus(canns.random.Generator(5), 90)
    local a = tda.ripser(X, {maxdim = 2, do_cocycles = true, num_threads = 1})
    local b = tda.ripser(X, {maxdim = 2, do_cocycles = true, num_threads = 2})
    for d = 1, 3 do
      assert.is_true(a.dgms[d] == b.dgms[d])
      for i = 1, #a.cocycles[d] do assert.is_true(a.cocycles[d][i] == b.cocycles[d][i]) end
    end
  end)

  it("reads sparse triplets (1-based, either orientation) like the dense matrix", function()
    local X = canns.random.Generator(9):uniform({15, 2})
    local D = tda.pairwise_distances(X)
    local row, col, data = {}, {}, {}
    for i = 1, 15 do
      for j = 1, 15 do
        if i ~= j and D:get(i, j) <= 0.5 and (i < j or (i + j) % 2 == 0) then
          row[#row + 1], col[#col + 1], data[#data + 1] = i, j, D:get(i, j)
        end
      end
    end
    local a = tda.ripser(tda.coo_matrix(row, col, data, 15), {maxdim = 2, thresh = 0.5})
    local b = tda.ripser(D, {maxdim = 2, thresh = 0.5, distance_matrix = true})
    assert.are.same(sorted_values(b), sorted_values(a))
    assert.are.equal(b.num_edges, a.num_edges)
    assert.is_nil(a.dperm2all)
  end)

  it("subsamples greedily with n_perm", function()
    local X = circle(canns.random.Generator(4), 80, 0.02)
    local res = tda.ripser(X, {n_perm = 25, do_cocycles = true})
    assert.are.equal(25, res.idx_perm:size())
    assert.are.equal(1, res.idx_perm:get(1))
    assert.are.same({25, 80}, res.dperm2all:shape())
    assert.is_true(res.r_cover > 0 and res.r_cover < 0.5)
    -- the diagrams are those of the chosen points
    local rows = {}
    for i = 1, 25 do rows[i] = X[res.idx_perm:get(i)]:totable() end
    local sub = tda.ripser(canns.array(rows, "float32"), {})
    assert.are.same(sorted_values(sub), sorted_values(res))
  end)

  it("rejects bad input with a clear error", function()
    local X = canns.random.Generator(1):uniform({10, 2})
    testutil.fails_with("ripser: coeff (modulus) must be prime, got 4", tda.ripser, X, {coeff = 4})
    testutil.fails_with("coeff (modulus) must be a prime in 2..65535, got 1", tda.ripser, X, {coeff = 1})
    testutil.fails_with("ripser: option 'coeff' is too large: must be at most 65535, got 65537", tda.ripser, X, {coeff = 65537})
    testutil.fails_with("ripser: option 'maxdim' must be non-negative, got -1", tda.ripser, X, {maxdim = -1})
    testutil.fails_with("thresh must be >= 0", tda.ripser, X, {thresh = -1})
    testutil.fails_with("ripser: thresh must be >= 0 (or math.huge), got NaN", tda.ripser, X,
                        {thresh = 0 / 0})
    testutil.fails_with("ripser: progress_update_interval must be > 0, got NaN", tda.ripser, X,
                        {progress_update_interval = 0 / 0})
    testutil.fails_with("unknown option 'maxdims'", tda.ripser, X, {maxdims = 1})
    testutil.fails_with("metric must be", tda.ripser, X, {metric = "hamming"})
    testutil.fails_with("has a non-finite coordinate (NaN) at point 2", tda.ripser, {{0, 0}, {0 / 0, 1}})
    testutil.fails_with("has a non-finite coordinate (inf) at point 1", tda.ripser, {{math.huge, 0}, {0, 1}})
    testutil.fails_with("must be a square distance matrix", tda.ripser, canns.zeros({3, 4}),
                        {distance_matrix = true})
    testutil.fails_with("is not symmetric: X[1][2] = 1 but X[2][1] = 2", tda.ripser,
                        {{0, 1}, {2, 0}}, {distance_matrix = true})
    testutil.fails_with("has distance -1 at (1, 2)", tda.ripser, {{0, -1}, {-1, 0}},
                        {distance_matrix = true})
    testutil.fails_with("has distance NaN at (1, 2)", tda.ripser, {{0, 0 / 0}, {0 / 0, 0}},
                        {distance_matrix = true})
    testutil.fails_with("must not be empty", tda.ripser, canns.zeros({0, 3}))
    testutil.fails_with("must be a 2-D array", tda.ripser, canns.zeros({5}))
    testutil.fails_with("argument 1 (X)", tda.ripser, "points")
    testutil.fails_with("n_perm (20) is greater than the number of points (10)", tda.ripser, X, {n_perm = 20})
    testutil.fails_with("indices start at 1", tda.ripser, tda.coo_matrix({0}, {1}, {1.0}))
    -- fractional or out-of-range indices are refused, not truncated or saturated
    testutil.fails_with("ripser: argument 1 (X): X.row entry 1 must be an integer index, got 1.5",
                        tda.ripser, tda.coo_matrix({1.5}, {2}, {1.0}))
    testutil.fails_with("X.col entry 2 must be an integer index, got NaN", tda.ripser,
                        tda.coo_matrix({1, 2}, {2, 0 / 0}, {1.0, 1.0}))
    testutil.fails_with("X.row entry 1 must be an integer index, got 1e+30", tda.ripser,
                        tda.coo_matrix({1e30}, {2}, {1.0}))
    testutil.fails_with("X.col entry 1 must be an integer index, got 2.25", tda.ripser,
                        tda.coo_matrix(canns.array({1}, "int32"), canns.array({2.25}), {1.0}))
    assert.are.equal(2, tda.ripser(tda.coo_matrix({1.0}, canns.array({2}, "int32"), {1.0})).dgms[1]:shape(1))
    testutil.fails_with("NaN distance found at sparse matrix entry 1", tda.ripser,
                        tda.coo_matrix({1}, {2}, {0 / 0}))
    testutil.fails_with("not supported for sparse", tda.ripser, tda.coo_matrix({1}, {2}, {1.0}, 3), {n_perm = 2})
    -- too many simplices for 64-bit indices: refused before any allocation
    testutil.fails_with("overflow", tda.ripser, canns.zeros({100000, 1}), {maxdim = 8})
    -- a valid call after errors works
    assert.are.equal(10, tda.ripser(X).dgms[1]:shape(1))
  end)
end)

describe("tda.shuffle_null_model", function()
  local spikes = canns.random.Generator(42):uniform({60, 20})

  it("is seeded: the same seed gives the same null distribution on any thread count", function()
    local a = tda.shuffle_null_model(spikes, {num_shuffles = 40, maxdim = 1, seed = 7, num_threads = 1})
    local b = tda.shuffle_null_model(spikes, {num_shuffles = 40, maxdim = 1, seed = 7, num_threads = 2})
    local c = tda.shuffle_null_model(spikes, {num_shuffles = 40, maxdim = 1, seed = 8})
    assert.are.equal(2, #a)
    assert.are.same({40}, a[1]:shape())
    assert.is_true(a[1] == b[1] and a[2] == b[2])
    assert.is_false(a[2] == c[2])
    assert.are.equal(a.threshold[2], tda.percentile(a[2], 99.9))
    assert.is_true(a.threshold[1] >= a.mean[1])
  end)

  it("records the longest finite bar of each shuffle", function()
    -- shuffle 0 done by hand: with T = 1 every shift is 0, so the points
    -- are the columns themselves
    local one = canns.array({{0, 1, 3, 7}}, "float32")
    local r = tda.shuffle_null_model(one, {num_shuffles = 3, maxdim = 1})
    local res = tda.ripser(one:transpose(), {maxdim = 1})
    local best = 0
    for _, l in ipairs(tda.lifetimes(res.dgms[1])) do best = math.max(best, l) end
    for s = 1, 3 do assert.are.equal(best, r[1]:get(s)) end
    assert.are.equal(4, best)
    assert.are.equal(0, r[2]:get(1)) -- no H1 bar: 0, as upstream
  end)

  it("takes canns-lib 0.11's metric, metric_p and explicit shifts (a plain reference)", function()
    local T, N, K = 9, 8, 3
    local g = canns.random.Generator(5)
    local X = g:uniform({T, N})
    local shifts = g:randint({K, N}, 0, T):astype("int64")
    -- shuffle s by hand: numpy.roll of column c by shifts[s][c], then the
    -- distances between columns in double, rounded to float32
    local function by_hand(s, metric, p)
      local col = {}
      for c = 1, N do
        col[c] = {}
        local off = shifts:get(s, c)
        for r = 1, T do col[c][r] = X:get((r - 1 - off) % T + 1, c) end
      end
      local D = canns.zeros({N, N})
      for a = 1, N do
        for b = 1, N do
          local acc = 0
          for r = 1, T do
            local d = math.abs(col[a][r] - col[b][r])
            if metric == "manhattan" then acc = acc + d
            elseif metric == "chebyshev" then acc = math.max(acc, d)
            else acc = acc + d ^ p end
          end
          if metric == "minkowski" then acc = acc ^ (1 / p) end
          D:set(a, b, acc)
        end
      end
      return D
    end
    local function longest(dgm)
      local best = 0
      for _, l in ipairs(tda.lifetimes(dgm)) do best = math.max(best, l) end
      return best
    end
    for _, case in ipairs{{"manhattan"}, {"chebyshev"}, {"minkowski", 3}, {"minkowski", 1.5}} do
      local metric, p = case[1], case[2] or 2
      local r = tda.shuffle_null_model(X, {metric = metric, metric_p = p, shifts = shifts, maxdim = 1})
      assert.are.same({K}, r[1]:shape())
      for s = 1, K do
        local D = by_hand(s, metric, p)
        local ref = tda.ripser(D, {distance_matrix = true, maxdim = 1})
        for d = 1, 2 do
          local want = longest(ref.dgms[d])
          assert.is_true(math.abs(r[d]:get(s) - want) <= 1e-5 * math.max(1, want),
                         string.format("%s p=%g shuffle %d H%d: %.9g vs %.9g", metric, p, s, d - 1,
                                       r[d]:get(s), want))
        end
        if s == 1 and have_bauer() then
          -- Bauer's binary on the same (lower-triangular) distances
          local bars = run_bauer("--format lower-distance --dim 1", lower_text(D))
          assert.are.equal(#bars[1], ref.dgms[1]:shape(1))
        end
      end
    end
    -- Euclidean shifts reproduce the seeded path's numbers for the same offsets
    local e = tda.shuffle_null_model(X, {shifts = shifts, maxdim = 1})
    local D = by_hand(1, "minkowski", 2)
    local want = longest(tda.ripser(D, {distance_matrix = true, maxdim = 1}).dgms[1])
    assert.is_true(math.abs(e[1]:get(1) - want) <= 1e-5 * want)
    testutil.fails_with("options 'shifts' and 'seed' exclude each other", tda.shuffle_null_model, X,
                        {shifts = shifts, seed = 1})
    testutil.fails_with("option 'shifts' must be a (num_shuffles, neurons) = (2, 8) matrix",
                        tda.shuffle_null_model, X, {shifts = shifts, num_shuffles = 2})
    testutil.fails_with("option 'shifts' entry (1, 1) must be in [0, 9), got 9", tda.shuffle_null_model, X,
                        {shifts = canns.full({1, N}, 9, "int64")})
    testutil.fails_with("option 'shifts' must be an integer array, got float32", tda.shuffle_null_model, X,
                        {shifts = canns.zeros({1, N})})
    testutil.fails_with("option 'metric_p' is only used with metric = \"minkowski\"", tda.shuffle_null_model, X,
                        {metric = "manhattan", metric_p = 3})
  end)

  it("rejects bad input", function()
    testutil.fails_with("shuffle_null_model: option 'maxdim' is too large: must be at most 2, got 3", tda.shuffle_null_model, spikes, {maxdim = 3})
    testutil.fails_with("shuffle_null_model: option 'num_shuffles' must be >= 1, got 0", tda.shuffle_null_model, spikes,
                        {num_shuffles = 0})
    testutil.fails_with("must be a non-empty 2-D array", tda.shuffle_null_model, canns.zeros({0, 4}))
    testutil.fails_with("coeff (modulus) must be prime, got 9", tda.shuffle_null_model, spikes, {coeff = 9})
    testutil.fails_with("non-finite value at row 1, column 2", tda.shuffle_null_model,
                        {{0, 0 / 0}, {1, 1}}, {num_shuffles = 2})
    testutil.fails_with("unknown option 'seeds'", tda.shuffle_null_model, spikes, {seeds = 1})
  end)
end)

describe("metric = 'minkowski', metric_p (canns-lib 0.11)", function()
  local canns = require "canns"
  local tda = canns.analyzer.tda
  local function fx(name) return canns.load(testutil.fixture("tda/" .. name .. ".npy")) end
  local X = fx("minkowski_X")

  -- an independent plain reference: scipy's formula in double precision
  local function plain(p)
    local x = X:astype("float64"):totable()
    local n = #x
    local D = canns.zeros({n, n}, "float64")
    for i = 1, n do
      for j = 1, n do
        local s = 0
        for k = 1, #x[i] do s = s + math.abs(x[i][k] - x[j][k]) ^ p end
        D[{i, j}] = s ^ (1 / p)
      end
    end
    return D
  end

  for _, case in ipairs({{1, "1"}, {1.5, "1p5"}, {3, "3"}}) do
    local p, tag = case[1], case[2]
    it("p = " .. p .. ": distances and diagrams match canns-lib", function()
      local D = tda.pairwise_distances(X, "minkowski", p)
      local up = fx("minkowski_p" .. tag .. "_D")
      -- both sum in double and round once to float32: within one float32 ulp
      assert.is_true(testutil.maxabs(D:astype("float64"), up:astype("float32"):astype("float64")) <= 1.2e-7)
      assert.is_true(testutil.maxabs(D:astype("float64"), plain(p):astype("float32"):astype("float64")) <= 1.2e-7)
      local res = tda.ripser(X, {maxdim = 1, metric = "minkowski", metric_p = p})
      for d = 0, 1 do
        local want = fx("minkowski_p" .. tag .. "_dgm" .. d)
        local got = res.dgms[d + 1]
        assert.same(want:shape(), got:shape())
        -- deaths of infinite bars: inf on both sides; compare the finite ones
        local g, w = got:astype("float64"), want
        local fin = canns.isfinite(w)
        assert.is_true(canns.array_equal(canns.isfinite(g), fin))
        assert.is_true(testutil.maxabs(canns.where(fin, g, 0), canns.where(fin, w, 0)) <= 1e-6)
      end
    end)
  end

  it("p = 2 is the Euclidean path exactly; other metrics refuse metric_p ~= 2", function()
    local e = tda.ripser(X, {maxdim = 1})
    local m = tda.ripser(X, {maxdim = 1, metric = "minkowski", metric_p = 2})
    assert.is_true(canns.array_equal(e.dgms[2], m.dgms[2]))
    assert.is_true(canns.array_equal(tda.pairwise_distances(X), tda.pairwise_distances(X, "minkowski", 2)))
    assert.is_true(canns.array_equal(tda.pairwise_distances(X), tda.pairwise_distances(X, "minkowski")))
    -- metric_p = 2 with another metric is accepted (the default)
    tda.ripser(X, {maxdim = 0, metric = "manhattan", metric_p = 2})
    testutil.fails_with("ripser: option 'metric_p' is only used with metric = \"minkowski\", got 3 with metric \"manhattan\"",
                        tda.ripser, X, {metric = "manhattan", metric_p = 3})
    testutil.fails_with("ripser: option 'metric_p' must be finite and >= 1, got 0.5", tda.ripser, X,
                        {metric = "minkowski", metric_p = 0.5})
    testutil.fails_with("ripser: option 'metric_p' must be finite and >= 1, got inf", tda.ripser, X,
                        {metric = "minkowski", metric_p = math.huge})
    testutil.fails_with("ripser: option 'metric_p' must be finite and >= 1, got NaN", tda.ripser, X,
                        {metric = "minkowski", metric_p = 0 / 0})
    testutil.fails_with("ripser: option 'metric_p' must be a number, got true", tda.ripser, X,
                        {metric = "minkowski", metric_p = true})
    testutil.fails_with("pairwise_distances: argument 3 (p) must be finite and >= 1, got 0", tda.pairwise_distances,
                        X, "minkowski", 0)
    testutil.fails_with("pairwise_distances: argument 3 (p) is only used with metric \"minkowski\"",
                        tda.pairwise_distances, X, "cosine", 3)
  end)

  it("n_perm subsampling uses the same metric", function()
    local res = tda.ripser(X, {maxdim = 1, metric = "minkowski", metric_p = 1.5, n_perm = 10})
    local D = tda.pairwise_distances(X, "minkowski", 1.5)
    -- dperm2all rows are the distances from the chosen points to all points
    for i = 1, 10 do
      local k = res.idx_perm[i]
      assert.is_true(canns.array_equal(res.dperm2all[i], D[k]))
    end
  end)
end)
