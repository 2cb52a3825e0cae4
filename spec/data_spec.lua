-- canns.data: the registry, downloads through libcurl and the readers.
--
-- No test touches the network.  The download tests build a small mirror
-- of the registry's folder under the build tree (data-test/mirror) and
-- run child `canns` processes with CANNS_DATA_BASE_URL pointing at it as
-- a file:// URL (the module reads its environment when it loads), with
-- CANNS_DATA_DIR a fresh folder: download, checksum mismatch, resume from
-- a truncated .part, force, mirror fallback and the offline error (an
-- unreachable file:///nonexistent URL).  Digests are checked against the
-- system's `sha256sum`; text tables against the numbers that were
-- written.
local canns = require "canns"
local data = canns.data
local files = require "canns.pipeline.asa.files"

local src = testutil.source_dir
if src:sub(1, 1) ~= "/" then src = os.getenv("PWD") .. "/" .. src end
local build = os.getenv("CANNS_BUILD_DIR") or (src .. "/build")
if build:sub(1, 1) ~= "/" then build = src .. "/" .. build end
local exe = build .. "/canns"
local root = build .. "/data-test"
local mirror = root .. "/mirror"

local function sh(cmd)
  local h = io.popen(cmd .. " 2>&1")
  local out = h:read("a")
  local ok = h:close()
  return ok == true, out
end

local function write(path, s)
  local f = assert(io.open(path, "wb"))
  f:write(s)
  f:close()
end

local function read(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("a")
  f:close()
  return s
end

local function sha256sum(path)
  local ok, out = sh("sha256sum '" .. path .. "'")
  assert(ok, out)
  return out:match("^(%x+)")
end

-- the ROI table written to the mirror: row i, column j holds i + j / 8
local ROI_ROWS, ROI_COLS = 6, 4
local function roi_text()
  local lines = {"# frame x ROI"}
  for i = 1, ROI_ROWS do
    local row = {}
    for j = 1, ROI_COLS do row[j] = string.format("%.6f", i + j / 8) end
    lines[#lines + 1] = table.concat(row, " ")
  end
  return table.concat(lines, "\n") .. "\n"
end

local TRAINS = {{0.05, 0.31, 0.52, 0.77}, {0.12, 0.44}, {0.2, 0.25, 0.3}}
local function session()
  local t, x, y = {}, {}, {}
  for i = 1, 101 do t[i] = (i - 1) / 100; x[i] = math.cos(t[i]); y[i] = math.sin(t[i]) end
  local trains = {}
  for n, s in ipairs(TRAINS) do trains[n] = canns.array(s, "float64") end
  return {spike = trains, t = canns.array(t, "float64"), x = canns.array(x, "float64"),
          y = canns.array(y, "float64")}
end

local LR = "Left_Right_data_of/26034_3/"
local MODULE = "26034_3_ASA_mec_gridModule02_n104_cm.npz"
local FULL = "26034_3_ASA_full.npz"

local function build_mirror()
  sh("rm -rf '" .. root .. "'")
  canns.mkdir(mirror .. "/" .. LR)
  write(mirror .. "/ROI_data.txt", roi_text())
  files.save_asa_npz(mirror .. "/grid_1.npz", session())
  -- a larger grid_2 (dense spikes, stored uncompressed) for the resume tests
  local dense = canns.random.Generator(7):uniform({400, 40}, 0, 1, "float64")
  canns.io.save_npz(mirror .. "/grid_2.npz", {spike = dense, t = canns.linspace(0, 4, 400, {dtype = "float64"})},
                    {compress = false})
  write(mirror .. "/" .. LR .. "26034_3_ASA_manifest.json",
        '{"full_file": "sub/dir/' .. FULL .. '", "module_files": ["' .. MODULE .. '", "' .. MODULE .. '", 7]}')
  files.save_asa_npz(mirror .. "/" .. LR .. FULL, session())
  canns.io.save_npz(mirror .. "/" .. LR .. MODULE, {spike = canns.ones({5, 3}), t = canns.arange(5)})
  -- a second mirror root holding the primary's path /nonexistent/...
  canns.mkdir(root .. "/m2/nonexistent")
  files.save_asa_npz(root .. "/m2/nonexistent/grid_1.npz", session())
end

local nchild = 0
-- Run `code` in a child canns with the given environment (on top of a
-- clean one: no HF_ENDPOINT, no mirrors, a fresh data folder unless
-- given).  Returns ok, output.
local function child(env, code)
  nchild = nchild + 1
  local script = root .. ("/child%d.lua"):format(nchild)
  write(script, "local canns = require 'canns'\nlocal data = canns.data\n" .. code)
  env = env or {}
  if env.CANNS_DATA_DIR == nil then env.CANNS_DATA_DIR = root .. ("/home%d"):format(nchild) end
  if env.CANNS_DATA_BASE_URL == nil then env.CANNS_DATA_BASE_URL = "file://" .. mirror .. "/" end
  local parts = {}
  for k, v in pairs(env) do
    if v ~= false then parts[#parts + 1] = ("%s='%s'"):format(k, v) end
  end
  table.sort(parts)
  local unset = {}
  for _, k in ipairs({"HF_ENDPOINT", "CANNS_DATA_MIRRORS", "CANNS_DATA_BASE_URL", "CANNS_DATA_DIR"}) do
    unset[#unset + 1] = "-u " .. k
  end
  return sh(("env %s CANNS_PROGRESS=0 LUA_PATH='%s/lua/?.lua;%s/lua/?/init.lua;;' %s '%s' '%s'"):format(
    table.concat(unset, " "), src, src, table.concat(parts, " "), exe, script))
end

local function child_ok(env, code)
  local ok, out = child(env, code)
  assert(ok, "child failed:\n" .. out)
  return out
end

describe("canns.data registry", function()
  setup(build_mirror)

  it("has upstream's keys and metadata", function()
    local keys = {}
    for k in pairs(data.DATASETS) do keys[#keys + 1] = k end
    table.sort(keys)
    assert.same({"grid_1", "grid_2", "left_right_data_of", "roi_data"}, keys)
    assert.equal("grid_1.npz", data.DATASETS.grid_1.filename)
    assert.equal(8.7, data.DATASETS.grid_1.size_mb)
    assert.equal("txt", data.DATASETS.roi_data.format)
    assert.equal(604.0, data.DATASETS.left_right_data_of.size_mb)
    assert.is_true(data.DATASETS.left_right_data_of.is_collection)
    assert.is_nil(data.DATASETS.grid_2.sha256)
    assert.equal("canns-team/data-analysis-datasets", data.HUGGINGFACE_REPO)
    assert.equal("canns-team/data-analysis-datasets", data.datasets.HUGGINGFACE_REPO)
  end)

  it("builds upstream's URLs under HF_ENDPOINT, with hf-mirror.com as the fallback", function()
    local out = child_ok({CANNS_DATA_BASE_URL = false, HF_ENDPOINT = "https://example.invalid//", HOME = root},
      [[print("BASE " .. data.BASE_URL)
        print("URL " .. data.DATASETS.grid_1.url)
        print("DEF " .. data.DEFAULT_DATA_DIR)
        for _, u in ipairs(data.build_download_urls(data.DATASETS.grid_1.url)) do print("TRY " .. u) end
        for _, u in ipairs(data.build_download_urls("https://hf-mirror.com/a/b.npz")) do print("SELF " .. u) end]])
    assert.truthy(out:find("BASE https://example.invalid/datasets/canns-team/data-analysis-datasets/resolve/main/\n",
                           1, true), out)
    assert.truthy(out:find("URL https://example.invalid/datasets/canns-team/data-analysis-datasets/resolve/main/grid_1.npz",
                           1, true), out)
    assert.truthy(out:find("DEF " .. root .. "/.canns/data\n", 1, true), out)
    assert.truthy(out:find("TRY https://hf-mirror.com/datasets/canns-team/data-analysis-datasets/resolve/main/grid_1.npz",
                           1, true), out)
    local _, nself = out:gsub("SELF ", "")
    assert.equal(1, nself) -- a URL on the mirror itself is not tried twice
  end)

  it("keeps files in CANNS_DATA_DIR, else in ~/.canns/data, creating the folder", function()
    local out = child_ok({CANNS_DATA_DIR = root .. "/custom/a/b"}, [[print("DIR " .. data.get_data_dir())]])
    assert.truthy(out:find("DIR " .. root .. "/custom/a/b\n", 1, true), out)
    assert.is_true(testutil.exists(root .. "/custom/a/b"))
    out = child_ok({CANNS_DATA_DIR = "", HOME = root .. "/h"}, [[print("DIR " .. data.get_data_dir())]])
    assert.truthy(out:find("DIR " .. root .. "/h/.canns/data\n", 1, true), out)
    assert.is_true(testutil.exists(root .. "/h/.canns/data"))
  end)

  it("lists the data sets in upstream's order", function()
    local out = child_ok({}, [[local keys = data.list_datasets(); print("KEYS " .. table.concat(keys, ","))]])
    assert.truthy(out:find("KEYS roi_data,grid_1,grid_2,left_right_data_of", 1, true), out)
    assert.truthy(out:find("Status: Collection (use session getter)", 1, true), out)
    assert.truthy(out:find("Size: 604.0 MB", 1, true), out)
  end)
end)

describe("canns.data downloads (file:// mirror)", function()
  setup(build_mirror)

  it("downloads a data set into the data folder, then keeps it", function()
    local home = root .. "/dl1"
    local out = child_ok({CANNS_DATA_DIR = home}, [[
      local p = data.download_dataset("grid_1")
      print("PATH " .. p)
      print("AGAIN " .. data.download_dataset("grid_1"))
      print("GET " .. data.get_dataset_path("grid_1"))]])
    assert.truthy(out:find("PATH " .. home .. "/grid_1.npz", 1, true), out)
    assert.truthy(out:find("Downloading grid_1 (8.7 MB)...", 1, true), out)
    assert.truthy(out:find("grid_1 already exists", 1, true), out)
    assert.equal(read(mirror .. "/grid_1.npz"), read(home .. "/grid_1.npz"))
    assert.is_false(testutil.exists(home .. "/grid_1.npz.part"))
  end)

  it("get_dataset_path downloads a missing file unless auto_setup is false", function()
    local home = root .. "/dl2"
    local out = child_ok({CANNS_DATA_DIR = home}, [[
      print("NOSETUP " .. tostring(data.get_dataset_path("roi_data", {auto_setup = false})))
      print("SETUP " .. data.get_dataset_path("roi_data"))]])
    assert.truthy(out:find("NOSETUP nil", 1, true), out)
    assert.truthy(out:find("not found, attempting setup", 1, true), out)
    assert.equal(read(mirror .. "/ROI_data.txt"), read(home .. "/ROI_data.txt"))
  end)

  it("verifies the registry's digest; a mismatch is an error and leaves no file", function()
    local home = root .. "/dl3"
    local good = sha256sum(mirror .. "/grid_1.npz")
    local out = child_ok({CANNS_DATA_DIR = home}, ([[
      data.DATASETS.grid_1.sha256 = "%s"
      print("OK " .. data.download_dataset("grid_1"))
      print("VALID " .. data.download_dataset("grid_1"))
      data.DATASETS.grid_2.sha256 = string.rep("ab", 32)
      local ok, err = pcall(data.download_dataset, "grid_2")
      print("BAD " .. tostring(ok) .. " " .. err)]]):format(good:upper()))
    assert.truthy(out:find("already exists and is valid", 1, true), out)
    assert.truthy(out:find("BAD false download_dataset: all download attempts failed for grid_2.npz: "
                           .. "checksum mismatch for file://" .. mirror .. "/grid_2.npz: expected sha256 "
                           .. string.rep("ab", 32) .. ", got " .. sha256sum(mirror .. "/grid_2.npz"), 1, true), out)
    assert.is_true(testutil.exists(home .. "/grid_1.npz"))
    assert.is_false(testutil.exists(home .. "/grid_2.npz"))
    assert.is_false(testutil.exists(home .. "/grid_2.npz.part"))
  end)

  it("downloads again a file whose digest does not match the registry's", function()
    local home = root .. "/dl4"
    canns.mkdir(home)
    write(home .. "/grid_1.npz", "stale bytes")
    local out = child_ok({CANNS_DATA_DIR = home}, ([[
      data.DATASETS.grid_1.sha256 = "%s"
      data.download_dataset("grid_1")]]):format(sha256sum(mirror .. "/grid_1.npz")))
    assert.truthy(out:find("exists but hash mismatch, re-downloading", 1, true), out)
    assert.equal(read(mirror .. "/grid_1.npz"), read(home .. "/grid_1.npz"))
  end)

  it("resumes a truncated .part from where it stopped", function()
    local home = root .. "/dl5"
    canns.mkdir(home)
    local full = read(mirror .. "/grid_2.npz")
    local half = #full // 2
    -- the kept bytes are marked (zeros), so the result shows that only the
    -- rest was fetched: a restart would give the mirror's file
    write(home .. "/grid_2.npz.part", string.rep("\0", half))
    child_ok({CANNS_DATA_DIR = home}, [[data.download_dataset("grid_2")]])
    local got = read(home .. "/grid_2.npz")
    assert.equal(#full, #got)
    assert.equal(string.rep("\0", half) .. full:sub(half + 1), got)
    assert.is_false(testutil.exists(home .. "/grid_2.npz.part"))
    -- a true prefix resumes into the mirror's file
    os.remove(home .. "/grid_2.npz")
    write(home .. "/grid_2.npz.part", full:sub(1, half))
    child_ok({CANNS_DATA_DIR = home}, [[data.download_dataset("grid_2")]])
    assert.equal(full, read(home .. "/grid_2.npz"))
  end)

  it("a resumed file that fails the digest is downloaded again in full", function()
    local home = root .. "/dl6"
    canns.mkdir(home)
    local full = read(mirror .. "/grid_2.npz")
    write(home .. "/grid_2.npz.part", string.rep("\0", #full // 3))
    child_ok({CANNS_DATA_DIR = home}, ([[
      data.DATASETS.grid_2.sha256 = "%s"
      data.download_dataset("grid_2")]]):format(sha256sum(mirror .. "/grid_2.npz")))
    assert.equal(full, read(home .. "/grid_2.npz"))
  end)

  it("a .part longer than the file, or force, starts over", function()
    local home = root .. "/dl7"
    canns.mkdir(home)
    local full = read(mirror .. "/grid_2.npz")
    write(home .. "/grid_2.npz.part", string.rep("x", #full + 100))
    child_ok({CANNS_DATA_DIR = home}, [[data.download_dataset("grid_2")]])
    assert.equal(full, read(home .. "/grid_2.npz"))
    -- force: an existing file and a stale .part are both replaced
    write(home .. "/grid_2.npz", "old")
    write(home .. "/grid_2.npz.part", string.rep("\0", 10))
    local out = child_ok({CANNS_DATA_DIR = home}, [[
      print("KEEP " .. #io.open(data.download_dataset("grid_2"), "rb"):read("a"))
      data.download_dataset("grid_2", {force = true})]])
    assert.truthy(out:find("KEEP 3\n", 1, true), out)
    assert.equal(full, read(home .. "/grid_2.npz"))
  end)

  it("a download already under way is an error, not a mixed file", function()
    local home = root .. "/dl13"
    canns.mkdir(home)
    local lock = assert(canns.core.flock(home .. "/grid_2.npz.part"))
    local ok, out = child({CANNS_DATA_DIR = home}, [[data.download_dataset("grid_2")]])
    assert.is_false(ok)
    assert.truthy(out:find("grid_2.npz.part' is being written by another download of file://", 1, true), out)
    assert.is_false(testutil.exists(home .. "/grid_2.npz"))
    lock:unlock()
    child_ok({CANNS_DATA_DIR = home}, [[data.download_dataset("grid_2")]])
    assert.equal(read(mirror .. "/grid_2.npz"), read(home .. "/grid_2.npz"))
  end)

  it("offline: the error names the URL and libcurl's message", function()
    local home = root .. "/dl8"
    local ok, out = child({CANNS_DATA_DIR = home, CANNS_DATA_BASE_URL = "file:///nonexistent/"},
                          [[data.download_dataset("grid_1")]])
    assert.is_false(ok)
    assert.truthy(out:find("download_dataset: all download attempts failed for grid_1.npz: cannot download "
                           .. "file:///nonexistent/grid_1.npz: Couldn't open file /nonexistent/grid_1.npz", 1, true), out)
    assert.truthy(out:find("primary download failed (file:///nonexistent/grid_1.npz)", 1, true), out)
    assert.is_false(testutil.exists(home .. "/grid_1.npz"))
    assert.is_false(testutil.exists(home .. "/grid_1.npz.part"))
    -- the loaders fail the same way, and so does quick_setup (returning false)
    ok, out = child({CANNS_DATA_DIR = home, CANNS_DATA_BASE_URL = "file:///nonexistent/"},
                    [[local ok, err = data.quick_setup(); print("QS " .. tostring(ok) .. " " .. err)
                      data.load_grid_data()]])
    assert.is_false(ok)
    assert.truthy(out:find("QS false download_dataset: all download attempts failed for ROI_data.txt", 1, true), out)
    assert.truthy(out:find("load_grid_data: download_dataset: all download attempts failed for grid_1.npz: "
                           .. "cannot download file:///nonexistent/grid_1.npz", 1, true), out)
    assert.truthy(out:find("To work offline, put the file at " .. home .. "/grid_1.npz", 1, true), out)
  end)

  it("falls back to a mirror that has the same path", function()
    local home = root .. "/dl9"
    local out = child_ok({CANNS_DATA_DIR = home, CANNS_DATA_BASE_URL = "file:///nonexistent/",
                          CANNS_DATA_MIRRORS = "file://" .. root .. "/m2"},
                         [[print("PATH " .. data.download_dataset("grid_1"))]])
    assert.truthy(out:find("succeeded via mirror: file://" .. root .. "/m2/nonexistent/grid_1.npz", 1, true), out)
    assert.equal(read(root .. "/m2/nonexistent/grid_1.npz"), read(home .. "/grid_1.npz"))
  end)

  it("quick_setup downloads every data set that is not a collection", function()
    local home = root .. "/dl10"
    local out = child_ok({CANNS_DATA_DIR = home}, [[print("QS " .. tostring(data.quick_setup()))]])
    assert.truthy(out:find("QS true", 1, true), out)
    for _, f in ipairs({"ROI_data.txt", "grid_1.npz", "grid_2.npz"}) do
      assert.equal(read(mirror .. "/" .. f), read(home .. "/" .. f))
    end
  end)

  it("the loaders read the registry's data sets", function()
    local home = root .. "/dl11"
    local out = child_ok({CANNS_DATA_DIR = home}, [[
      local roi = data.load_roi_data()
      print("ROI " .. table.concat(roi:shape(), "x") .. " " .. string.format("%.6f", roi:get(3, 2)))
      local g = data.load_grid_data()
      print("G1 " .. #g.spike .. " " .. g.spike[1]:size() .. " " .. g.t:size() .. " " .. tostring(g.x ~= nil))
      print("T1 " .. string.format("%.17g", g.spike[3]:get(2)))
      local g2 = data.load_grid_data({dataset_key = "grid_2"})
      print("G2 " .. table.concat(g2.spike:shape(), "x") .. " " .. tostring(g2.x))
      print("VALID " .. tostring(data.validate_grid_data(g)) .. " " .. tostring(data.validate_roi_data(roi)))]])
    assert.truthy(out:find(("ROI %dx%d %.6f"):format(ROI_ROWS, ROI_COLS, 3 + 2 / 8), 1, true), out)
    assert.truthy(out:find("Loaded ROI data: shape (6, 4)", 1, true), out)
    assert.truthy(out:find("G1 3 4 101 true", 1, true), out)
    assert.truthy(out:find("T1 0.25\n", 1, true), out)
    assert.truthy(out:find("Loaded grid_1: 3 neurons", 1, true), out)
    assert.truthy(out:find("Position data available: 101 time points", 1, true), out)
    assert.truthy(out:find("G2 400x40 nil", 1, true), out)
    assert.truthy(out:find("VALID true true", 1, true), out)
  end)

  it("Left-Right sessions: the manifest, then its files", function()
    local home = root .. "/dl12"
    local out = child_ok({CANNS_DATA_DIR = home}, [[
      print("NONE " .. tostring(data.get_left_right_npz("26034_3", "x.npz", {auto_download = false})))
      print("NOMAN " .. tostring(data.get_left_right_data_session("26034_3", {auto_download = false})))
      local s = data.get_left_right_data_session("26034_3")
      print("MAN " .. s.manifest)
      print("FULL " .. s.full_file)
      print("MODS " .. #s.module_files .. " " .. s.module_files[1])
      local z = data.load_left_right_npz("26034_3", "a/b/]] .. MODULE .. [[")
      print("Z " .. table.concat(z.spike:shape(), "x"))
      local p = data.get_left_right_npz("26034_3", "]] .. FULL .. [[", {force = true})
      print("P " .. p)]])
    local dir = home .. "/Left_Right_data_of/26034_3/"
    assert.truthy(out:find("NONE nil", 1, true), out)
    assert.truthy(out:find("NOMAN nil", 1, true), out)
    assert.truthy(out:find("MAN " .. dir .. "26034_3_ASA_manifest.json", 1, true), out)
    assert.truthy(out:find("FULL " .. dir .. FULL, 1, true), out)
    assert.truthy(out:find("MODS 2 " .. dir .. MODULE, 1, true), out)
    assert.truthy(out:find("Z 5x3", 1, true), out)
    assert.truthy(out:find("P " .. dir .. FULL, 1, true), out)
    assert.equal(read(mirror .. "/" .. LR .. FULL), read(dir .. FULL))
    assert.equal(read(mirror .. "/" .. LR .. MODULE), read(dir .. MODULE))
  end)

  it("load reads a URL through a cache folder", function()
    local cache = root .. "/cache"
    local out = child_ok({}, ([[
      local a = data.load("file://%s/ROI_data.txt", {cache_dir = "%s"})
      print("A " .. table.concat(a:shape(), "x"))
      local z = data.load("file://%s/grid_1.npz", {cache_dir = "%s"})
      print("Z " .. #z.spike .. " " .. z.spike_counts:size())
      data.load("file://%s/grid_1.npz", {cache_dir = "%s"})]]):format(mirror, cache, mirror, cache, mirror, cache))
    assert.truthy(out:find("A 6x4", 1, true), out)
    assert.truthy(out:find("Z 3 3", 1, true), out)
    assert.truthy(out:find("Using cached file: " .. cache .. "/grid_1.npz", 1, true), out)
    assert.equal(read(mirror .. "/ROI_data.txt"), read(cache .. "/ROI_data.txt"))
  end)
end)

describe("canns.data readers", function()
  local tmp
  setup(function() tmp = testutil.tmpdir() end)
  teardown(function() testutil.rmtree(tmp) end)

  it("compute_file_hash is SHA-256 (as sha256sum)", function()
    write(tmp .. "/empty", "")
    assert.equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                 data.compute_file_hash(tmp .. "/empty"))
    write(tmp .. "/abc", "abc")
    assert.equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                 data.compute_file_hash(tmp .. "/abc"))
    local big = {}
    for i = 1, 20000 do big[i] = string.char(i % 251) .. tostring(i) end
    write(tmp .. "/big", table.concat(big))
    assert.equal(sha256sum(tmp .. "/big"), data.compute_file_hash(tmp .. "/big"))
  end)

  it("detect_file_type follows upstream's extensions", function()
    local cases = {["a.txt"] = "text", ["a.DAT"] = "text", ["a.csv"] = "text", ["a.npz"] = "numpy",
                   ["b.NPY"] = "numpy", ["c.pkl"] = "pickle", ["c.pickle"] = "pickle", ["d.json"] = "json",
                   ["e.h5"] = "hdf5", ["e.hdf5"] = "hdf5", ["f.bin"] = "unknown", ["noext"] = "unknown",
                   ["dir.npz/x"] = "unknown"}
    for name, kind in pairs(cases) do assert.equal(kind, data.detect_file_type(name), name) end
  end)

  it("load reads text tables shaped as numpy.loadtxt shapes them", function()
    write(tmp .. "/m.txt", "# c\n1 2 3\n\n4 5 6  # tail\n")
    local m = data.load(tmp .. "/m.txt")
    assert.same({2, 3}, m:shape())
    assert.equal("float64", m:dtype())
    assert.same({{1, 2, 3}, {4, 5, 6}}, m:totable())
    write(tmp .. "/col.dat", "1.5\n-2e3\nnan\ninf\n")
    local c = data.load(tmp .. "/col.dat")
    assert.same({4}, c:shape())
    assert.equal(-2000, c:get(2))
    assert.is_true(c:get(3) ~= c:get(3))
    assert.equal(math.huge, c:get(4))
    write(tmp .. "/row.txt", "1 2 3\n")
    assert.same({3}, data.load(tmp .. "/row.txt"):shape())
    write(tmp .. "/one.txt", "7\n")
    assert.same({}, data.load(tmp .. "/one.txt"):shape())
    write(tmp .. "/t.csv", "1,2\n3,4\n")
    assert.same({{1, 2}, {3, 4}}, data.load(tmp .. "/t.csv"):totable())
    -- not numeric: the text itself, as upstream's fallback
    write(tmp .. "/words.txt", "hello world\n")
    assert.equal("hello world\n", data.load(tmp .. "/words.txt"))
    write(tmp .. "/ragged.txt", "1 2\n3\n")
    assert.equal("1 2\n3\n", data.load(tmp .. "/ragged.txt"))
    write(tmp .. "/notes.bin", "free text")
    assert.equal("free text", data.load(tmp .. "/notes.bin"))
  end)

  it("load reads .npy, .npz (splitting spike trains) and .json", function()
    local a = canns.arange(6):reshape({2, 3})
    canns.io.save_npy(tmp .. "/a.npy", a)
    assert.is_true(data.load(tmp .. "/a.npy") == a)
    files.save_asa_npz(tmp .. "/s.npz", session())
    local z = data.load(tmp .. "/s.npz")
    assert.equal(3, #z.spike)
    for n, s in ipairs(TRAINS) do assert.same(s, z.spike[n]:totable()) end
    assert.same({4, 2, 3}, z.spike_counts:totable())
    assert.equal(101, z.t:size())
    -- a forced type reads by content, whatever the extension
    os.rename(tmp .. "/a.npy", tmp .. "/a.bin")
    assert.is_true(data.load(tmp .. "/a.bin", {file_type = "numpy"}) == a)
    write(tmp .. "/j.json", '{"a": [1, 2], "b": "x"}')
    local j = data.load(tmp .. "/j.json")
    assert.same({1, 2}, j.a)
    assert.equal("x", j.b)
    assert.is_true(data.load_file(tmp .. "/s.npz").spike[2] ~= nil)
  end)

  it("reads upstream's pickled sessions as numpy reads them", function()
    local json = require "canns.pipeline.json"
    local expected = json.decode(read(testutil.fixture("data/expected.json")))
    local function near(a, b, tol) return math.abs(a - b) <= tol * math.max(1, math.abs(b)) end
    for _, name in ipairs({"upstream_session", "protocol2"}) do
      local z = data.load(testutil.fixture("data/" .. name .. ".npz"))
      local n = 0
      for key, want in pairs(expected[name].spike) do
        local tr = z.spike[math.tointeger(tonumber(key))]
        assert.equal("float64", tr:dtype())
        assert.equal(want[1], tr:size())
        assert.is_true(near(tr:sum(), want[2], 1e-13), name .. " neuron " .. key)
        n = n + 1
      end
      assert.equal(4, n)
      assert.same(expected[name].t[1], z.t:shape())
      assert.is_true(near(z.t:sum(), expected[name].t[2], 1e-13))
    end
    local ol = data.load(testutil.fixture("data/object_list.npz"))
    assert.equal(3, #ol.spike)
    for i, want in ipairs(expected.object_list.spike) do
      assert.equal(want[1], ol.spike[i]:size())
      assert.is_true(near(ol.spike[i]:sum(), want[2], 1e-6))
    end
    assert.equal("float32", ol.spike[2]:dtype())
    local tr = data.load(testutil.fixture("data/trains.npy"))
    assert.equal(3, #tr)
    for i, want in ipairs(expected.object_list.spike) do assert.equal(want[1], tr[i]:size()) end
    local m = data.load(testutil.fixture("data/mixed.npz"))
    assert.same({2.5, 7, "txt", {1, 2}, {3.5}}, m.obj)
    assert.same({{0, 1, 2}, {3, 4, 5}}, m.be:totable()) -- big-endian int16, widened
    testutil.fails_with("load_file: '" .. testutil.fixture("data/foreign.npz") .. "' member 'obj.npy': the pickle "
                        .. "names fractions.Fraction, which canns does not read",
                        data.load, testutil.fixture("data/foreign.npz"))
    -- the session reader and the embedding take upstream's dictionary as it is
    local g = data.load_grid_data(testutil.fixture("data/upstream_session.npz"))
    assert.is_true(data.validate_grid_data(g))
    local sm = data.get_data_summary(g)
    assert.equal(4, sm.n_neurons)
    assert.same({min = 5, max = 14, mean = 9.5, total = 38}, sm.spike_counts)
    local kept = data.preprocess_spike_data(g.spike, {min_spike_count = 8})
    assert.equal(3, #kept)
    assert.equal(8, kept[1]:size()) -- neuron 1, in key order
    -- and so does the ASA runner's session reader (neurons in key order)
    local sess = files.load_asa_npz(testutil.fixture("data/upstream_session.npz"))
    assert.is_false(sess.dense)
    assert.equal(4, #sess.spike)
    assert.equal(expected.upstream_session.spike["2"][1], sess.spike[3]:size())
    local E = canns.analyzer.data.asa.embed_spike_trains(g, {speed_filter = false})
    local ref = canns.io.load_npy(testutil.fixture("data/embed_upstream_session.npy"))
    assert.same(ref:shape(), E:shape())
    assert.is_true(testutil.maxabs(E, ref) <= 1e-5 * math.max(1, ref:abs():max()))
  end)

  it("a damaged pickle is an error naming where", function()
    local pk = require "canns.data.pickle"
    local z = canns.core.npz_raw(testutil.fixture("data/upstream_session.npz"))
    local member = z["spike.npy"]
    local whole = pk.npy(member, "m")
    assert.is_true(canns.isarray(whole[0]))
    for _, cut in ipairs({9, 40, 128, 300, #member - 1}) do
      local ok, err = pcall(pk.npy, member:sub(1, cut), "cut")
      assert.is_false(ok)
      assert.truthy(tostring(err):find("^cut: "), tostring(err))
    end
    -- seeded random damage: every call returns or raises a string
    math.randomseed(20261205)
    local sources = {member, canns.core.npz_raw(testutil.fixture("data/protocol2.npz"))["spike.npy"],
                     canns.core.npz_raw(testutil.fixture("data/mixed.npz"))["obj.npy"]}
    for trial = 1, 3000 do
      local src = sources[trial % #sources + 1]
      local b = {src:byte(1, -1)}
      for _ = 1, math.random(1, 4) do b[math.random(#b)] = math.random(0, 255) end
      local damaged = string.char(table.unpack(b))
      if trial % 5 == 0 then damaged = damaged:sub(1, math.random(#damaged)) end
      local ok, err = pcall(pk.npy, damaged, "r")
      assert(ok or type(err) == "string", "trial " .. trial .. ": " .. tostring(err))
    end
    testutil.fails_with("x: not an .npy member (no NUMPY magic)", pk.npy, "garbage", "x")
    testutil.fails_with("y: pickle opcode 0xff at byte 2 is not read by canns", pk.loads, "\x80\x04\xff", "y")
    testutil.fails_with("w: the pickle names os.system", pk.loads, "\x80\x02cos\nsystem\n.", "w")
  end)

  it("load_grid_data and load_roi_data read local files", function()
    files.save_asa_npz(tmp .. "/g.npz", session())
    local g = data.load_grid_data(tmp .. "/g.npz")
    assert.equal(3, #g.spike)
    assert.is_true(data.validate_grid_data(g))
    write(tmp .. "/roi.txt", roi_text())
    local r = data.load_roi_data(tmp .. "/roi.txt")
    for i = 1, ROI_ROWS do
      for j = 1, ROI_COLS do assert.is_true(math.abs(r:get(i, j) - (i + j / 8)) < 1e-6) end
    end
  end)

  it("bad inputs are errors naming the argument and the value", function()
    testutil.fails_with("download_dataset: argument 1 (dataset_key) is not a known dataset "
                        .. "(one of grid_1, grid_2, left_right_data_of, roi_data), got 'grid_9'",
                        data.download_dataset, "grid_9")
    testutil.fails_with("download_dataset: argument 1 (dataset_key) must be a string, got 3",
                        data.download_dataset, 3)
    testutil.fails_with("download_dataset: argument 1 (dataset_key) 'left_right_data_of' is a collection",
                        data.download_dataset, "left_right_data_of")
    testutil.fails_with("download_dataset: option 'force' must be a boolean, got 'yes'",
                        data.download_dataset, "grid_1", {force = "yes"})
    testutil.fails_with("download_dataset: unknown option 'forse'", data.download_dataset, "grid_1", {forse = true})
    testutil.fails_with("get_dataset_path: argument 1 (dataset_key) is not a known dataset",
                        data.get_dataset_path, "nope")
    testutil.fails_with("get_left_right_data_session: argument 1 (session_id) must be a session folder name",
                        data.get_left_right_data_session, "../etc")
    testutil.fails_with("get_left_right_npz: argument 2 (filename) is required (a string)",
                        data.get_left_right_npz, "26034_3")
    testutil.fails_with("load: argument 1 (url) must be a string, got a table", data.load, {})
    testutil.fails_with("load: option 'file_type' must be one of", data.load, "x.txt", {file_type = "xml"})
    testutil.fails_with("load_file: file not found: '" .. tmp .. "/missing.npz'", data.load, tmp .. "/missing.npz")
    testutil.fails_with("load_file: file not found: '" .. tmp .. "'", data.load, tmp)
    testutil.fails_with("load_grid_data: argument 1 (source) must be a string, got 5", data.load_grid_data, 5)
    testutil.fails_with("load_grid_data: option 'dataset_key' must be a grid data set of the registry "
                        .. "(one of grid_1, grid_2), got 'roi_data'", data.load_grid_data, {dataset_key = "roi_data"})
    testutil.fails_with("load_roi_data: cannot open '" .. tmp .. "/no.txt'", data.load_roi_data, tmp .. "/no.txt")
    testutil.fails_with("compute_file_hash: argument 1 (filepath) must be a string, got true", data.compute_file_hash, true)
    testutil.fails_with("sha256_file: cannot open '" .. tmp .. "/none'", data.compute_file_hash, tmp .. "/none")
    testutil.fails_with("load_file: '" .. tmp .. "/p.pkl': pickle files are not read", function()
      write(tmp .. "/p.pkl", "x"); return data.load(tmp .. "/p.pkl") end)
    -- corrupt and foreign files
    write(tmp .. "/bad.npz", "PK\3\4 this is not a zip archive")
    testutil.fails_with("load_file: cannot read '" .. tmp .. "/bad.npz'", data.load, tmp .. "/bad.npz")
    write(tmp .. "/text.npz", "just text")
    testutil.fails_with("load_file: '" .. tmp .. "/text.npz' is neither an .npy nor an .npz file",
                        data.load, tmp .. "/text.npz")
    write(tmp .. "/bad.npy", "\x93NUMPY\1\0garbage")
    testutil.fails_with("load_file: cannot read '" .. tmp .. "/bad.npy'", data.load, tmp .. "/bad.npy")
    write(tmp .. "/bad.json", "{oops")
    testutil.fails_with("load_file: '" .. tmp .. "/bad.json' is not valid JSON", data.load, tmp .. "/bad.json")
    write(tmp .. "/words.txt", "a b\n")
    testutil.fails_with("load_roi_data: '" .. tmp .. "/words.txt' is not a numeric text table: line 1: 'a' is not a number",
                        data.load_roi_data, tmp .. "/words.txt")
    canns.io.save_npz(tmp .. "/nospike.npz", {t = canns.arange(3)})
    testutil.fails_with("load_grid_data: '" .. tmp .. "/nospike.npz' has no 'spike' entry",
                        data.load_grid_data, tmp .. "/nospike.npz")
    canns.io.save_npz(tmp .. "/badcounts.npz", {spike = canns.ones(4), spike_counts = canns.array({3, 3}, "int64"),
                                                t = canns.arange(3)})
    testutil.fails_with("load_grid_data: '" .. tmp .. "/badcounts.npz': spike_counts (2 neurons) do not match "
                        .. "the 4 spike times", data.load_grid_data, tmp .. "/badcounts.npz")
    canns.io.save_npz(tmp .. "/sum.npz", {spike = canns.ones(4), spike_counts = canns.array({1, 2}, "int64"),
                                          t = canns.arange(3)})
    testutil.fails_with("load_grid_data: '" .. tmp .. "/sum.npz': spike_counts add up to 3, but there are 4",
                        data.load_grid_data, tmp .. "/sum.npz")
    testutil.fails_with("preprocess_spike_data: argument 1 (spike_data) must be a table, got 'x'",
                        data.preprocess_spike_data, "x")
    testutil.fails_with("preprocess_spike_data: option 'min_spike_count' must be >= 0, got -1",
                        data.preprocess_spike_data, {{1}}, {min_spike_count = -1})
    testutil.fails_with("download: argument 1 (url) must be a non-empty string", canns.core.download, "", "x")
    testutil.fails_with("download: 'abc' is not an http://, https:// or file:// URL", canns.core.download, "abc",
                        tmp .. "/x")
    testutil.fails_with("download: sha256 must be 64 hexadecimal digits, got 'zz'", canns.core.download,
                        "file:///nonexistent", tmp .. "/x", {sha256 = "zz"})
    testutil.fails_with("download: 'ftp://example.invalid/x' is not an http://, https:// or file:// URL",
                        canns.core.download, "ftp://example.invalid/x", tmp .. "/x")
  end)
end)

describe("canns.data checks and summaries", function()
  it("validate_roi_data", function()
    assert.is_true(data.validate_roi_data(canns.ones({3, 2})))
    assert.is_true(data.validate_roi_data(canns.ones(3)))
    local ok, why = data.validate_roi_data({1, 2})
    assert.is_false(ok); assert.equal("ROI data must be an array", why)
    ok, why = data.validate_roi_data(canns.ones({2, 2, 2}))
    assert.is_false(ok); assert.equal("ROI data must be 1D or 2D, got 3D", why)
    ok, why = data.validate_roi_data(canns.zeros(0))
    assert.is_false(ok); assert.equal("ROI data is empty", why)
    ok, why = data.validate_roi_data(canns.array({1, 0 / 0}))
    assert.is_false(ok); assert.equal("ROI data contains non-finite values", why)
  end)

  it("validate_grid_data", function()
    local s = session()
    assert.is_true(data.validate_grid_data(s))
    local function bad(d, msg)
      local ok, why = data.validate_grid_data(d)
      assert.is_false(ok); assert.equal(msg, why)
    end
    bad("x", "Grid data must be a table")
    bad({t = s.t}, "Grid data missing required key: spike")
    bad({spike = s.spike}, "Grid data missing required key: t")
    bad({spike = 3, t = s.t}, "Spike data must be a list or an array")
    bad({spike = {}, t = s.t}, "Spike data is empty")
    bad({spike = s.spike, t = {1, 2}}, "Time data must be an array")
    bad({spike = s.spike, t = canns.zeros(0)}, "Time data is empty")
    bad({spike = s.spike, t = canns.array({0, math.huge})}, "Time data contains non-finite values")
    bad({spike = s.spike, t = s.t, x = canns.ones(5)},
        "Position data 'x' shape (5,) doesn't match time data shape (101,)")
    bad({spike = s.spike, t = s.t, y = canns.full(101, 0 / 0)}, "Position data 'y' contains non-finite values")
  end)

  it("preprocess_spike_data keeps spikes in the window and neurons with enough", function()
    local trains = {{0.1, 0.2, 0.3, 0.4, 0.5}, {0.15, 0.9}, canns.array({0.3, 0.35, 0.38, 0.6})}
    local kept = data.preprocess_spike_data(trains, {time_window = {0.2, 0.4}, min_spike_count = 2})
    assert.equal(2, #kept)
    assert.same({0.2, 0.3, 0.4}, kept[1]:totable())
    assert.equal(3, kept[2]:size()) -- the third neuron, a float32 array
    assert.equal(3, #data.preprocess_spike_data(trains, {min_spike_count = 2}))
    local none, why = data.preprocess_spike_data(trains)
    assert.is_nil(none)
    assert.equal("No neurons meet minimum spike count requirement (10)", why)
    local rows = data.preprocess_spike_data(canns.ones({2, 12}))
    assert.equal(2, #rows)
    assert.is_nil((data.preprocess_spike_data({})))
  end)

  it("get_data_summary of ROI data and of a session", function()
    local a = canns.array({{1, 2}, {3, 6}}, "float64")
    local s = data.get_data_summary(a)
    assert.equal("roi_data", s.type)
    assert.same({2, 2}, s.shape)
    assert.equal(4, s.size)
    assert.equal("float64", s.dtype)
    assert.equal(1, s.min); assert.equal(6, s.max); assert.equal(3, s.mean)
    assert.is_true(math.abs(s.std - math.sqrt(3.5)) < 1e-12) -- population s.d.
    assert.is_false(s.has_nan); assert.is_false(s.has_inf)
    local si = data.get_data_summary(canns.array({1, math.huge, 0 / 0}))
    assert.is_true(si.has_nan); assert.is_true(si.has_inf)
    local g = data.get_data_summary(session())
    assert.equal("grid_data", g.type)
    assert.same({"spike", "t", "x", "y"}, g.keys)
    assert.equal(3, g.n_neurons)
    assert.same({min = 2, max = 4, mean = 3, total = 9}, g.spike_counts)
    assert.equal(101, g.time_data.length)
    assert.is_true(math.abs(g.time_data.duration - 1) < 1e-12)
    assert.is_true(math.abs(g.time_data.sampling_rate - 100) < 1e-9)
    assert.is_true(math.abs(g.x_data.range - (1 - math.cos(1))) < 1e-12)
    assert.equal(0, g.y_data.min)
    assert.same({type = "unknown", error = "Unsupported data type"}, data.get_data_summary(3))
  end)
end)
