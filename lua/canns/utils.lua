--- Small helpers of the Python toolkit's `canns.utils`.
-- @module canns.utils

local A = require "canns.argcheck"
local core = require "canns.core"

local M = {}

--- Wrap a function so that each call runs it once, then `runs` more times
-- timed, printing total, average, fastest and slowest wall times (as
-- upstream's `canns.utils.benchmark(runs=10)` decorator); the wrapped
-- function returns the first call's results.
--     local f = canns.utils.benchmark{runs = 3}(function() return canns.run(m, 1000) end)
-- @tparam[opt] table opts `runs` (default 10), `name` (for the report)
-- @treturn function decorator
function M.benchmark(opts)
  if type(opts) == "number" then opts = {runs = opts} end
  local o = A.options(opts, "benchmark", {"runs", "name"})
  local runs = A.count(o.runs, "benchmark", "runs", nil, {default = 10, min = 1, max = 1000000})
  local label = A.string(o.name, "benchmark", "name", nil, {optional = true})
  return function(f)
    A.callable(f, "benchmark", 1, "func")
    local name = label or tostring(f)
    return function(...)
      print(("--- Start Benchmark: '%s' (Runs %d times) ---"):format(name, runs))
      local result = table.pack(f(...))
      local total, fastest, slowest = 0, math.huge, 0
      for _ = 1, runs do
        local t0 = core.wallclock()
        f(...)
        local dt = core.wallclock() - t0
        total = total + dt
        fastest, slowest = math.min(fastest, dt), math.max(slowest, dt)
      end
      print(("--- Benchmark Results: '%s' ---"):format(name))
      print(("Total Run times: %d"):format(runs))
      print(("Total Times runs: %.6f s"):format(total))
      print(("Average Time: %.6f s"):format(total / runs))
      print(("Fastest: %.6f s"):format(fastest))
      print(("Slowest: %.6f s"):format(slowest))
      print(("-"):rep(40))
      return table.unpack(result, 1, result.n)
    end
  end
end

local function dirname(p)
  return p:match("^(.*)/[^/]*$") or "."
end

--- The output folder of an example script, created if absent (upstream
-- `get_example_output_dir`): `$CANNS_EXAMPLES_OUTPUT_DIR/<category>/<stem>`
-- when that variable is set, else `<examples>/outputs/<category>/<stem>`
-- for a script under a folder named `examples` (category: the first folder
-- below it, if any), else `outputs/<stem>` beside the script.
-- @string script_path the script (e.g. `arg[0]`)
-- @string[opt] category
-- @tparam[opt] table opts `base_env_var` (default "CANNS_EXAMPLES_OUTPUT_DIR")
-- @treturn string the folder
function M.get_example_output_dir(script_path, category, opts)
  local F = "get_example_output_dir"
  script_path = A.string(script_path, F, 1, "script_path")
  category = A.string(category, F, 2, "category", {optional = true})
  local o = A.options(opts, F, {"base_env_var"})
  local var = A.string(o.base_env_var, F, "base_env_var", nil, {default = "CANNS_EXAMPLES_OUTPUT_DIR"})
  local stem = (script_path:match("([^/]+)$") or script_path):gsub("%.[^.]*$", "")
  local parts, examples = {}, nil
  for part in script_path:gmatch("[^/]+") do parts[#parts + 1] = part end
  for i = #parts - 1, 1, -1 do
    if parts[i] == "examples" then examples = i; break end
  end
  local base
  local env = os.getenv(var)
  if env and env ~= "" then
    base = env
  elseif examples then
    base = table.concat(parts, "/", 1, examples) .. "/outputs"
    if script_path:sub(1, 1) == "/" then base = "/" .. base end
  else
    base = dirname(script_path) .. "/outputs"
  end
  if category == nil and examples and #parts - examples >= 2 then category = parts[examples + 1] end
  local dir = category and (base .. "/" .. category .. "/" .. stem) or (base .. "/" .. stem)
  core.mkdir(dir)
  return dir
end

return M
