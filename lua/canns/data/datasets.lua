--- The data-set registry and its downloads (upstream
-- `canns.data.datasets`).
--
--     local data = require "canns.data"
--     data.list_datasets()
--     local path = data.download_dataset("grid_1")      -- ~/.canns/data/grid_1.npz
--     local z = data.load(path)                           -- {spike, t, x, y}
--
-- Files are kept in `get_data_dir()`: `$CANNS_DATA_DIR` when set, else
-- `DEFAULT_DATA_DIR` (`~/.canns/data`, upstream's folder).  Downloads go
-- through libcurl (`canns.core.download`): into `<name>.part`, renamed to
-- `<name>` when complete and (where the registry has a digest) verified;
-- a broken transfer keeps the `.part` and the next download resumes it.
-- A progress bar is drawn on a terminal.
--
-- Where the files come from: `BASE_URL`, which is upstream's Hugging Face
-- repository under `$HF_ENDPOINT` (default `https://huggingface.co`), with
-- `HF_MIRRORS` (`https://hf-mirror.com`) tried in turn when it fails.
-- `$CANNS_DATA_BASE_URL` replaces `BASE_URL` (a local mirror, e.g.
-- `file:///srv/canns-data/`; the tests use one) and then no mirror is
-- tried unless `$CANNS_DATA_MIRRORS` (roots separated by spaces or
-- commas) names some; `$CANNS_DATA_MIRRORS` also replaces the default
-- mirror list.  All of these are read once, when the module loads.
-- @module canns.data.datasets

local core = require "canns.core"
local A = require "canns.argcheck"
local text = require "canns.data.text"

local M = {}

local function getenv(name)
  local v = os.getenv(name)
  if v == "" then return nil end
  return v
end

--- Upstream's Hugging Face data-set repository.
M.HUGGINGFACE_REPO = "canns-team/data-analysis-datasets"
--- Where data sets are kept unless `$CANNS_DATA_DIR` says otherwise.
M.DEFAULT_DATA_DIR = (getenv("HOME") or ".") .. "/.canns/data"
--- The Hugging Face host (`$HF_ENDPOINT`, no trailing slash).
M.HF_ENDPOINT = (getenv("HF_ENDPOINT") or "https://huggingface.co"):gsub("/+$", "")
--- The folder URL every registry file is found under (ends in "/").
M.BASE_URL = getenv("CANNS_DATA_BASE_URL")
  and (getenv("CANNS_DATA_BASE_URL"):gsub("/*$", "/"))
  or (M.HF_ENDPOINT .. "/datasets/" .. M.HUGGINGFACE_REPO .. "/resolve/main/")
--- Hosts tried, in order, when a download from `BASE_URL` fails (the
-- URL's path is kept; see the module description).
M.HF_MIRRORS = {}
do
  local list = os.getenv("CANNS_DATA_MIRRORS")
  if list ~= nil then
    for root in list:gmatch("[^%s,]+") do M.HF_MIRRORS[#M.HF_MIRRORS + 1] = (root:gsub("/+$", "")) end
  elseif not getenv("CANNS_DATA_BASE_URL") then
    M.HF_MIRRORS[1] = "https://hf-mirror.com"
  end
end
--- The folder of the Left-Right sweep sessions.
M.LEFT_RIGHT_DATASET_DIR = "Left_Right_data_of"

--- The registry: key -> `{filename, description, size_mb, format, usage,
-- sha256, url [, is_collection]}` (upstream's entries; `sha256` is nil
-- where upstream has none, which is every entry today: set one to have
-- downloads verified).
M.DATASETS = {
  roi_data = {
    filename = "ROI_data.txt",
    description = "1D CANN ROI data for bump analysis",
    size_mb = 0.7, format = "txt",
    usage = "1D CANN analysis, MCMC bump fitting",
    url = M.BASE_URL .. "ROI_data.txt",
  },
  grid_1 = {
    filename = "grid_1.npz",
    description = "Grid cell spike data with position information",
    size_mb = 8.7, format = "npz",
    usage = "2D CANN analysis, topological data analysis, circular coordinate decoding",
    url = M.BASE_URL .. "grid_1.npz",
  },
  grid_2 = {
    filename = "grid_2.npz",
    description = "Second grid cell dataset",
    size_mb = 4.5, format = "npz",
    usage = "2D CANN analysis, comparison studies",
    url = M.BASE_URL .. "grid_2.npz",
  },
  left_right_data_of = {
    filename = M.LEFT_RIGHT_DATASET_DIR,
    description = "ASA type data from Left-Right sweep paper",
    size_mb = 604.0, format = "directory",
    usage = "ASA analysis, left-right sweep sessions",
    url = M.BASE_URL .. M.LEFT_RIGHT_DATASET_DIR .. "/",
    is_collection = true,
  },
}
-- upstream's order, for listings
local ORDER = {"roi_data", "grid_1", "grid_2", "left_right_data_of"}

-- A readable regular file (not a folder: reading one fails).
local function is_file(path)
  local f = io.open(path, "rb")
  if not f then return false end
  local _, err = f:read(1)
  f:close()
  return err == nil
end

local function exists(path)
  local f = io.open(path, "rb")
  if f then f:close() return true end
  return false
end

local function basename(p) return (p:match("([^/]*)/*$")) end

--- The data folder: `$CANNS_DATA_DIR`, else `DEFAULT_DATA_DIR`; created
-- (with its parents) when missing.
-- @treturn string
function M.get_data_dir()
  local dir = getenv("CANNS_DATA_DIR") or M.DEFAULT_DATA_DIR
  local ok, err = pcall(core.mkdir, dir)
  if not ok then A.error("get_data_dir", "cannot create the data folder '%s': %s", dir, tostring(err)) end
  return dir
end

--- SHA-256 of a file (nettle), 64 lower-case hex digits.
-- @string filepath
-- @treturn string
function M.compute_file_hash(filepath)
  A.string(filepath, "compute_file_hash", 1, "filepath")
  return core.sha256_file(filepath)
end

local function registry_entry(key, F)
  A.string(key, F, 1, "dataset_key")
  local info = M.DATASETS[key]
  if type(info) ~= "table" then
    local keys = {}
    for k in pairs(M.DATASETS) do keys[#keys + 1] = k end
    table.sort(keys)
    A.fail(F, 1, "dataset_key", "is not a known dataset (one of %s), got %s",
           table.concat(keys, ", "), A.describe(key))
  end
  return info
end

-- The registry entry of a single-file data set, the boolean option
-- `flag` (also accepted as opts itself) and the file's path.
local function single_file(dataset_key, opts, F, flag, default)
  local info = registry_entry(dataset_key, F)
  if type(opts) == "boolean" then opts = {[flag] = opts} end
  local o = A.options(opts, F, {flag})
  local v = A.boolean(o[flag], F, flag, nil, {default = default})
  if info.is_collection then
    A.fail(F, 1, "dataset_key", "'%s' is a collection: use get_left_right_data_session(session_id) "
           .. "or get_left_right_npz(session_id, filename)", dataset_key)
  end
  if type(info.filename) ~= "string" or basename(info.filename) ~= info.filename or info.filename == "" then
    A.error(F, "DATASETS.%s.filename must be a file name, got %s", dataset_key, A.describe(info.filename))
  end
  if info.sha256 ~= nil and type(info.sha256) ~= "string" then
    A.error(F, "DATASETS.%s.sha256 must be a hex string or nil, got %s", dataset_key, A.describe(info.sha256))
  end
  return info, v, M.get_data_dir() .. "/" .. info.filename
end

local function url_root(url)
  return url:match("^(%a[%w+.-]*://[^/]*)(.*)$")
end

--- The URLs one file is tried from: the URL itself, then the same path
-- under each of `HF_MIRRORS` (upstream's `_build_download_urls`).
-- @string primary_url
-- @treturn {string,...}
function M.build_download_urls(primary_url)
  A.string(primary_url, "build_download_urls", 1, "primary_url")
  local urls, seen = {primary_url}, {[primary_url] = true}
  local _, path = url_root(primary_url)
  for _, mirror in ipairs(M.HF_MIRRORS) do
    local root = mirror:gsub("/+$", "")
    if path and not (primary_url:sub(1, #root + 1) == root .. "/" or primary_url == root) then
      local u = root .. path
      if not seen[u] then urls[#urls + 1], seen[u] = u, true end
    end
  end
  return urls
end

--- Download one file, trying each URL in turn (the first is the primary,
-- the rest mirrors), with a progress bar on a terminal.
-- @param url a URL or a list of URLs for the same file
-- @string filepath where the file goes (through `filepath .. ".part"`)
-- @tparam[opt] table opts `sha256` (verify), `force` (start over instead
--   of resuming a `.part`)
-- @treturn boolean true (every URL failing is an error listing each URL
--   with libcurl's message)
function M.download_file_with_progress(url, filepath, opts)
  local F = "download_file_with_progress"
  local urls = type(url) == "table" and url or {A.string(url, F, 1, "url")}
  if #urls == 0 then A.fail(F, 1, "url", "must be a URL or a non-empty list of URLs, got an empty table") end
  for i, u in ipairs(urls) do A.string(u, F, 1, ("url[%d]"):format(i)) end
  A.string(filepath, F, 2, "filepath")
  local o = A.options(opts, F, {"sha256", "force"})
  local sha = A.string(o.sha256, F, "sha256", nil, {optional = true})
  local force = A.boolean(o.force, F, "force", nil, {default = false})
  local failures = {}
  for i, u in ipairs(urls) do
    local ok, err = pcall(core.download, u, filepath, {sha256 = sha, resume = not force or i > 1})
    if ok then
      if i > 1 then print("  ↳ succeeded via mirror: " .. u) end
      return true
    end
    err = tostring(err):gsub("^download: ", "")
    print(("  ↳ %s download failed (%s): %s"):format(i == 1 and "primary" or ("mirror #" .. (i - 1)), u, err))
    failures[#failures + 1] = err
  end
  A.error(F, "all download attempts failed for %s: %s", basename(filepath), table.concat(failures, "; "))
end

local function fetch(urls, path, sha, force, F)
  local ok, err = pcall(M.download_file_with_progress, urls, path, {sha256 = sha, force = force})
  if not ok then error((tostring(err):gsub("^download_file_with_progress:", F .. ":")), 0) end
end

--- Print the registry (upstream's listing).
-- @treturn {string,...} the keys, in upstream's order
function M.list_datasets()
  print("Available CANNs Datasets:")
  print(("="):rep(60))
  local keys = {}
  local listed = {}
  for _, k in ipairs(ORDER) do if M.DATASETS[k] then keys[#keys + 1], listed[k] = k, true end end
  local extra = {}
  for k in pairs(M.DATASETS) do if not listed[k] and type(k) == "string" then extra[#extra + 1] = k end end
  table.sort(extra)
  for _, k in ipairs(extra) do keys[#keys + 1] = k end
  for _, k in ipairs(keys) do
    local info = M.DATASETS[k]
    local status = info.is_collection and "Collection (use session getter)"
      or (info.url and "Available" or "Setup required")
    print("\nDataset: " .. k)
    print("  File: " .. tostring(info.filename))
    print("  Size: " .. tostring(info.size_mb) .. " MB")
    print("  Description: " .. tostring(info.description))
    print("  Usage: " .. tostring(info.usage))
    print("  Status: " .. status)
  end
  return keys
end

--- Download one registry data set into the data folder.
-- An existing file is kept (checked against the registry's digest when
-- there is one: a mismatch downloads it again) unless `force`.
-- @string dataset_key e.g. "grid_1", "roi_data"
-- @tparam[opt] table opts `{force = false}` (or the boolean itself)
-- @treturn string the file's path
function M.download_dataset(dataset_key, opts)
  local F = "download_dataset"
  local info, force, path = single_file(dataset_key, opts, F, "force", false)
  if type(info.url) ~= "string" then A.error(F, "'%s' is not available for download (no url)", dataset_key) end
  if exists(path) and not force then
    if not info.sha256 then
      print(dataset_key .. " already exists")
      return path
    end
    if core.sha256_file(path) == info.sha256:lower() then
      print(dataset_key .. " already exists and is valid")
      return path
    end
    print(dataset_key .. " exists but hash mismatch, re-downloading...")
  end
  print(("Downloading %s (%s MB)..."):format(dataset_key, tostring(info.size_mb)))
  fetch(M.build_download_urls(info.url), path, info.sha256, force, F)
  print("Download completed: " .. path)
  return path
end

--- The path of a registry data set, downloading it when missing (unless
-- `auto_setup` is false: then nil when missing).
-- @string dataset_key
-- @tparam[opt] table opts `{auto_setup = true}` (or the boolean itself)
-- @treturn string|nil
function M.get_dataset_path(dataset_key, opts)
  local _, auto, path = single_file(dataset_key, opts, "get_dataset_path", "auto_setup", true)
  if exists(path) then return path end
  if not auto then return nil end
  print(("Dataset %s not found, attempting setup..."):format(dataset_key))
  return M.download_dataset(dataset_key)
end

local function session_dir(session_id, F)
  A.string(session_id, F, 1, "session_id")
  if session_id == "" or session_id:find("/", 1, true) or session_id == "." or session_id == ".." then
    A.fail(F, 1, "session_id", "must be a session folder name such as '26034_3', got %s",
           A.describe(session_id))
  end
  local dir = M.get_data_dir() .. "/" .. M.LEFT_RIGHT_DATASET_DIR .. "/" .. session_id
  core.mkdir(dir)
  return dir, M.BASE_URL .. M.LEFT_RIGHT_DATASET_DIR .. "/" .. session_id .. "/"
end

local function fetch_opts(opts, F)
  if type(opts) == "boolean" then opts = {auto_download = opts} end
  local o = A.options(opts, F, {"auto_download", "force"})
  return A.boolean(o.auto_download, F, "auto_download", nil, {default = true}),
         A.boolean(o.force, F, "force", nil, {default = false})
end

--- Download (when missing) and return the files of one Left-Right
-- session: its manifest `<id>_ASA_manifest.json`, then the files it lists.
-- @string session_id e.g. "24365_2"
-- @tparam[opt] table opts `{auto_download = true, force = false}`
-- @treturn table|nil `{manifest = path, full_file = path or nil,
--   module_files = {path, ...}}`; nil when the manifest is missing and
--   `auto_download` is false
function M.get_left_right_data_session(session_id, opts)
  local F = "get_left_right_data_session"
  local dir, url = session_dir(session_id, F)
  local auto, force = fetch_opts(opts, F)
  local name = session_id .. "_ASA_manifest.json"
  local mpath = dir .. "/" .. name
  if auto and (force or not exists(mpath)) then
    fetch(M.build_download_urls(url .. name), mpath, nil, force, F)
  end
  if not exists(mpath) then return nil end
  local manifest, why = require("canns.pipeline.json").decode(text.read_all(mpath, F))
  if type(manifest) ~= "table" then
    A.error(F, "the manifest '%s' is not a JSON object: %s", mpath, why or A.describe(manifest))
  end
  local full, modules = manifest.full_file, manifest.module_files
  local wanted, seen = {}, {}
  local function want(f)
    if type(f) == "string" then
      local b = basename(f)
      if b ~= "" and b ~= "." and b ~= ".." and not seen[b] then wanted[#wanted + 1], seen[b] = b, true end
    end
  end
  want(full)
  if type(modules) == "table" then for _, f in ipairs(modules) do want(f) end end
  for _, b in ipairs(wanted) do
    local p = dir .. "/" .. b
    if auto and (force or not exists(p)) then fetch(M.build_download_urls(url .. b), p, nil, force, F) end
  end
  local out = {manifest = mpath, module_files = {}}
  if type(full) == "string" then out.full_file = dir .. "/" .. basename(full) end
  if type(modules) == "table" then
    for _, f in ipairs(modules) do
      if type(f) == "string" then out.module_files[#out.module_files + 1] = dir .. "/" .. basename(f) end
    end
  end
  return out
end

--- Download (when missing) and return one file of a Left-Right session.
-- @string session_id e.g. "26034_3"
-- @string filename e.g. "26034_3_ASA_mec_gridModule02_n104_cm.npz" (only
--   its last path component is used)
-- @tparam[opt] table opts `{auto_download = true, force = false}`
-- @treturn string|nil the path; nil when missing and `auto_download` is false
function M.get_left_right_npz(session_id, filename, opts)
  local F = "get_left_right_npz"
  A.string(filename, F, 2, "filename")
  local safe = basename(filename)
  if safe == "" or safe == "." or safe == ".." then
    A.fail(F, 2, "filename", "must name a file, got %s", A.describe(filename))
  end
  local dir, url = session_dir(session_id, F)
  local auto, force = fetch_opts(opts, F)
  local path = dir .. "/" .. safe
  if exists(path) and not force then return path end
  if not auto then return nil end
  fetch(M.build_download_urls(url .. safe), path, nil, force, F)
  return path
end

--- The kind of a file from its extension (upstream's names): "text"
-- (.txt .dat .csv), "numpy" (.npz .npy), "pickle", "json", "hdf5" or
-- "unknown".
-- @string filepath
-- @treturn string
function M.detect_file_type(filepath)
  A.string(filepath, "detect_file_type", 1, "filepath")
  local ext = (basename(filepath):match("(%.[^.]*)$") or ""):lower()
  if ext == ".txt" or ext == ".dat" or ext == ".csv" then return "text"
  elseif ext == ".npz" or ext == ".npy" then return "numpy"
  elseif ext == ".pkl" or ext == ".pickle" then return "pickle"
  elseif ext == ".json" then return "json"
  elseif ext == ".h5" or ext == ".hdf5" then return "hdf5" end
  return "unknown"
end

local FILE_TYPES = {"text", "numpy", "json", "pickle", "hdf5", "unknown"}

-- An .npz's members (pickled object arrays included: upstream's
-- sessions); a `spike` of spike times with `spike_counts` (the canns
-- session layout) becomes the list of per-neuron arrays.
local function load_npz(path, F)
  local files = require "canns.pipeline.asa.files"
  local z = files.read_npz(path, F)
  if core.isarray(z.spike) and z.spike_counts ~= nil then z.spike = files.spikes_of(z, path, F) end
  return z
end

local function load_numpy(path, F)
  local f = io.open(path, "rb")
  local head = f and f:read(6) or ""
  if f then f:close() end
  if head:sub(1, 4) == "PK\3\4" or head:sub(1, 4) == "PK\5\6" then return load_npz(path, F) end
  if head == "\x93NUMPY" then
    local ok, a = pcall(core.load_npy, path)
    if ok then return a end
    if tostring(a):find("object", 1, true) or tostring(a):find("|O", 1, true) then -- pickled
      local okp, v = pcall(require("canns.data.pickle").npy, text.read_all(path, F), "'" .. path .. "'")
      if okp then return v end
      A.error(F, "%s", tostring(v))
    end
    A.error(F, "cannot read '%s': %s", path, tostring(a))
  end
  A.error(F, "'%s' is neither an .npy nor an .npz file (it starts with %q)", path, head)
end

--- Read a file by its kind (`detect_file_type`, or `file_type`):
-- "text" a numeric table (a float64 array; text that is not numeric is
-- returned as a string, as upstream does), "numpy" an `.npy` array or an
-- `.npz` table of arrays (found by the file's first bytes; numpy's
-- pickled object arrays are read by `canns.data.pickle`: a dictionary as
-- a table, an object array as a list), "json" the decoded value,
-- "unknown" the text.  "pickle" and "hdf5" files are refused.
-- @string filepath
-- @string[opt] file_type
-- @return the data
function M.load_file(filepath, file_type)
  local F = "load_file"
  A.string(filepath, F, 1, "filepath")
  file_type = A.string(file_type, F, 2, "file_type", {optional = true, choices = FILE_TYPES})
  if not is_file(filepath) then A.error(F, "file not found: '%s'", filepath) end
  file_type = file_type or M.detect_file_type(filepath)
  if file_type == "text" then
    local s = text.read_all(filepath, F)
    local ext = (filepath:match("(%.[^./]*)$") or ""):lower()
    local a = text.parse(s, {delimiter = ext == ".csv" and "," or nil})
    return a or s
  elseif file_type == "numpy" then
    return load_numpy(filepath, F)
  elseif file_type == "json" then
    local v, why = require("canns.pipeline.json").decode(text.read_all(filepath, F))
    if why then A.error(F, "'%s' is not valid JSON: %s", filepath, why) end
    return v
  elseif file_type == "pickle" or file_type == "hdf5" then
    A.error(F, "'%s': %s files are not read by canns (save the arrays as .npz instead)", filepath, file_type)
  end
  return text.read_all(filepath, F)
end

--- Read data from a URL (downloaded into a cache folder first) or a local
-- file, by its kind (see `load_file`).
-- @string url a URL (http, https, file) or a file name
-- @tparam[opt] table opts `cache_dir` (default `$TMPDIR/canns_cache`),
--   `force_download` (false), `file_type` (see `load_file`)
-- @return the data
function M.load(url, opts)
  local F = "load"
  A.string(url, F, 1, "url")
  if url == "" then A.fail(F, 1, "url", "must be a URL or a file name, got ''") end
  local o = A.options(opts, F, {"cache_dir", "force_download", "file_type"})
  local cache = A.string(o.cache_dir, F, "cache_dir", nil, {optional = true})
  local force = A.boolean(o.force_download, F, "force_download", nil, {default = false})
  local ftype = A.string(o.file_type, F, "file_type", nil, {optional = true, choices = FILE_TYPES})
  local root, path = url_root(url)
  if not root then return M.load_file(url, ftype) end
  local name = basename((path or ""):gsub("[?#].*$", ""))
  if name == "" or name == "." or name == ".." then name = "downloaded_data" end
  cache = cache or ((getenv("TMPDIR") or "/tmp"):gsub("/+$", "") .. "/canns_cache")
  core.mkdir(cache)
  local dest = cache .. "/" .. name
  if not exists(dest) or force then
    print(("Downloading from %s..."):format(url))
    fetch({url}, dest, nil, force, F)
  else
    print("Using cached file: " .. dest)
  end
  return M.load_file(dest, ftype)
end

--- Download every registry data set that is not a collection.
-- @treturn boolean true when all are in the data folder
-- @treturn[opt] string the first failure's message
function M.quick_setup()
  print("CANNs Dataset Quick Setup")
  print(("="):rep(40))
  print("Attempting to download datasets from Hugging Face...")
  for _, key in ipairs(ORDER) do
    local info = M.DATASETS[key]
    if info and not info.is_collection then
      local ok, err = pcall(M.download_dataset, key)
      if not ok then
        print(("Download failed for %s: %s"):format(key, tostring(err)))
        return false, tostring(err)
      end
    end
  end
  print("All datasets downloaded successfully from Hugging Face!")
  return true
end

return M
