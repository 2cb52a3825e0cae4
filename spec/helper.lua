-- Loaded by busted before every spec (see tests/CMakeLists.txt).
-- Provides `testutil`: temporary directories, fixtures and comparisons.
local canns = require "canns"

testutil = {}

--- Root of the source tree (fixtures live under spec/fixtures).
testutil.source_dir = os.getenv("CANNS_SOURCE_DIR") or "."

function testutil.fixture(rel)
  return testutil.source_dir .. "/spec/fixtures/" .. rel
end

--- A fresh temporary directory; removed by testutil.rmtree.
function testutil.tmpdir()
  local name = os.tmpname()
  os.remove(name)
  assert(os.execute("mkdir -p '" .. name .. "'"))
  return name
end

function testutil.rmtree(dir)
  assert(dir:match("^/tmp/"), "refusing to remove " .. dir)
  os.execute("rm -rf '" .. dir .. "'")
end

function testutil.exists(path)
  local f = io.open(path, "rb")
  if f then f:close() return true end
  return false
end

--- Assert that a call fails with an error message matching `pattern`
-- (plain substring match).
function testutil.fails_with(pattern, fn, ...)
  local ok, err = pcall(fn, ...)
  assert(not ok, "expected an error matching '" .. pattern .. "', but the call succeeded")
  err = tostring(err)
  assert(err:find(pattern, 1, true),
         "error '" .. err .. "' does not contain '" .. pattern .. "'")
  return err
end

--- Max absolute difference between two arrays (or tables / numbers).
function testutil.maxabs(a, b)
  local x = canns.array(a, "float64")
  local y = canns.array(b, "float64")
  return (x - y):abs():max()
end

return testutil
