-- Shared header line of the scripts/bench/*_table.lua drivers: this
-- repository's version, the Python toolkit's package versions (or "not
-- installed"), machine, cores and date.  Use:
--   local header = dofile("scripts/bench/header.lua")
--   print(header.line(python))          -- python: interpreter path or "none"
--   print(header.line(python, {"canns", "matplotlib"}))
local M = {}

--- Output of a shell command without its trailing white space ("" on failure).
function M.capture(cmd)
  local p = io.popen(cmd .. " 2>/dev/null")
  local s = p and p:read("a") or ""
  if p then p:close() end
  return (s:gsub("%s+$", ""))
end

--- The header line; pkgs: Python distributions whose versions are listed
-- (default canns, canns-lib, jax, brainpy).
function M.line(python, pkgs)
  pkgs = pkgs or {"canns", "canns-lib", "jax", "brainpy"}
  local py = ""
  if python ~= "none" then
    py = M.capture(string.format([[%s -c "import importlib.metadata as m; print(', '.join(p + ' ' + m.version(p) for p in '%s'.split()))"]],
                                 python, table.concat(pkgs, " ")))
  end
  return string.format("canns (this repository) %s; upstream: %s; %s, %s cores, %s",
                       M.capture("git describe --always --dirty"), py ~= "" and py or "not installed",
                       M.capture("uname -m"), M.capture("nproc"), M.capture("date -u +%Y-%m-%d"))
end

return M
