-- Shared header line of the scripts/bench/*_table.lua drivers: this
-- repository's version, the Python toolkit's versions (or "not
-- installed"), machine, cores and date.  Use:
--   local header = dofile("scripts/bench/header.lua")
--   print(header(python))      -- python: interpreter path or "none"
local function capture(cmd)
  local p = io.popen(cmd .. " 2>/dev/null")
  local s = p and p:read("a") or ""
  if p then p:close() end
  return (s:gsub("%s+$", ""))
end

return function(python)
  local ours = capture("git describe --always --dirty")
  local py = python ~= "none" and capture(python .. [[ -c "import importlib.metadata as m; print('canns %s, canns-lib %s, JAX %s, BrainPy %s' % tuple(m.version(p) for p in ('canns', 'canns-lib', 'jax', 'brainpy')))"]]) or ""
  return string.format("canns (this repository) %s; upstream: %s; %s, %s cores, %s", ours,
                       py ~= "" and py or "not installed",
                       capture("uname -m"), capture("nproc"), capture("date -u +%Y-%m-%d"))
end
