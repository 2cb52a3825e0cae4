--- `canns asa`: the ASA pipeline's terminal UI, after upstream's
-- `canns.pipeline.asa` Textual app (here ncurses through C, sharing the
-- gallery UI's parts).
--
--     canns asa [workdir]
--
-- Choose a session `.npz` of the working folder (spike trains or a dense
-- matrix with `t`, `x`, `y`; see canns.pipeline.asa.files) or, in
-- upstream's "Neuron + Traj" input mode (key `m`), a neuron file (`.npy`
-- spike matrix or `.npz`) and a trajectory `.npz`, set the
-- runner's parameters (canns.pipeline.asa.config: the preset, the stages
-- and every section's fields), run the chain with its progress bar and
-- log, and see the figures produced: drawn in the terminal or opened with
-- the system viewer (the path is printed where there is none).  Results
-- go to `<workdir>/Results/<session>_<hash>/` with the runner's caches,
-- so a second run reuses every unchanged stage.
--
-- Keys: Tab / Shift-Tab move between the panes (input files, parameters,
-- figures), Up / Down choose, Enter selects the input file / edits the
-- parameter (Enter accepts, Esc cancels) / views the figure, `m` switches
-- the input mode (in "Neuron + Traj" the first Enter chooses the neuron
-- file, the second the trajectory file), `r` (or
-- Ctrl-R) runs, `v` views the chosen figure, `o` opens it with the system
-- viewer, Ctrl-W changes the working folder, F5 reads the folder again,
-- `q` (or Esc) quits.
-- @module canns.pipeline.tui.asa

local A = require "canns.argcheck"
local core = require "canns.core"
local U = require "canns.pipeline.tui.common"
local cfgmod = require "canns.pipeline.asa.config"
local runner = require "canns.pipeline.asa.runner"

local M = {}

local C = core.curses
local SECTIONS = {"preprocess", "tda", "decode", "cohomap", "pathcompare", "cohospace", "fr", "frm"}
-- the TUI's own starting values (the rest: the runner's defaults)
local START = {preset = "grid", stages = table.concat(cfgmod.DEFAULT_STAGES, ","),
               ["preprocess.method"] = "embed_spike_trains"}

local function text_of(v, spec)
  if v == false and spec.optional then return "" end
  if math.type(v) == "float" then return (("%.6g"):format(v):gsub("^(%-?%d+)$", "%1.0")) end
  return tostring(v)
end

local function param_list()
  local names, values, specs = {"preset", "stages"}, {}, {}
  for _, sec in ipairs(SECTIONS) do
    local fields = {}
    for k in pairs(cfgmod.SCHEMA[sec]) do fields[#fields + 1] = k end
    table.sort(fields)
    for _, k in ipairs(fields) do
      local n = sec .. "." .. k
      names[#names + 1], specs[n] = n, cfgmod.SCHEMA[sec][k][2]
      values[n] = text_of(cfgmod.SCHEMA[sec][k][1], specs[n])
    end
  end
  for n, v in pairs(START) do values[n] = v end
  return names, values, specs
end

local function scan(s)
  s.files = {}
  local ok, list = pcall(core.list_dir, s.workdir)
  if not ok then U.add_log(s, tostring(list), "error"); return end
  local pat = s.mode == "neuron_traj" and "%.np[yz]$" or "%.npz$"
  for _, f in ipairs(list) do if f:match(pat) then s.files[#s.files + 1] = f end end
  s.file = math.max(1, math.min(s.file or 1, #s.files))
end

local function new_state(workdir)
  local s = {workdir = workdir, mode = "asa", focus = 1, param = 1, top = 0, figure = 1, figures = {}, log = {},
             progress = 0, status = "Idle", quit = false}
  s.names, s.values, s.specs = param_list()
  scan(s)
  return s
end

local function bar(pct, width)
  local n = math.floor(width * pct / 100 + 0.5)
  return "[" .. ("#"):rep(n) .. ("."):rep(width - n) .. "]"
end

local function draw(s)
  local rows, cols = C.size()
  C.erase()
  C.put(0, 0, " Attractor Structure Analyzer (ASA) ", "title")
  C.put(0, 37, "workdir: " .. s.workdir, "dim", math.max(0, cols - 38))
  if s.edit and s.edit.name == "workdir" then C.put(1, 37, "workdir: " .. s.edit.text .. "_", "reverse") end
  local lw = 34
  local log_rows = math.max(4, rows // 4)
  local lr = rows - log_rows - 1
  -- input files
  C.put(2, 1, s.mode == "neuron_traj" and "Input: Neuron + Traj (m: mode)" or "Input: ASA .npz (m: mode)",
        s.focus == 1 and "bold" or "dim")
  if #s.files == 0 then C.put(3, 2, "(none: F5 reads the folder again)", "dim", lw - 3) end
  local nf = math.min(#s.files, math.max(1, (lr - 8) // 2))
  for i = 1, nf do
    local f = s.files[i]
    local mark = s.mode == "asa" and (f == s.input and "* " or "  ")
                 or ((f == s.neuron and "N" or " ") .. (f == s.traj and "T" or " "))
    C.put(2 + i, 2, (i == s.file and ">" or " ") .. mark .. s.files[i],
          (i == s.file and s.focus == 1) and "reverse" or nil, lw - 3)
  end
  -- figures
  local fr = 4 + math.max(nf, 1)
  C.put(fr, 1, "Figures", s.focus == 3 and "bold" or "dim")
  for i = 1, math.min(#s.figures, lr - fr - 3) do
    C.put(fr + i, 2, (i == s.figure and "> " or "  ") .. s.figures[i][1],
          (i == s.figure and s.focus == 3) and "reverse" or nil, lw - 3)
  end
  -- parameters
  local prow = lr - 5
  C.put(2, lw, "Parameters", s.focus == 2 and "bold" or "dim")
  if s.param - s.top > prow then s.top = s.param - prow end
  if s.param <= s.top then s.top = s.param - 1 end
  for i = s.top + 1, math.min(#s.names, s.top + prow) do
    local n = s.names[i]
    local v = (s.edit and s.edit.name == n) and (s.edit.text .. "_") or s.values[n]
    C.put(2 + i - s.top, lw + 1, ("%-26s %s"):format(n, v), (i == s.param and s.focus == 2) and "reverse" or nil,
          math.max(0, cols - lw - 2))
  end
  -- progress and status
  C.put(lr - 2, 1, ("%s %3d%%  %s"):format(bar(s.progress, 30), s.progress, s.status),
        s.status:find("failed") and "error" or (s.status:find("complete") and "ok" or nil), cols - 2)
  U.draw_log(s, lr, log_rows, cols)
  C.put(rows - 1, 0, " Tab pane  Up/Down choose  Enter select/edit/view  m mode  r run  v view  o open  ^W workdir  F5 files  q quit ",
        "reverse", cols)
  C.refresh()
end

-- the configuration the fields say, or nil and a message naming the field
local function configuration(s)
  local c = {workdir = s.workdir, preset = s.values.preset}
  if s.mode == "neuron_traj" then
    c.input_mode, c.neuron_file, c.traj_file = "neuron_traj", s.workdir .. "/" .. s.neuron, s.workdir .. "/" .. s.traj
  else
    c.input = s.workdir .. "/" .. s.input
  end
  c.stages = {}
  for st in s.values.stages:gmatch("[^,%s]+") do c.stages[#c.stages + 1] = st end
  for _, n in ipairs(s.names) do
    local sec, k = n:match("^(%w+)%.([%w_]+)$")
    if sec then
      local spec, text = s.specs[n], s.values[n]
      local v
      if text == "" and spec.optional then v = false
      elseif spec.kind == "int" or spec.kind == "num" then
        v = tonumber(text)
        if v == nil then return nil, ("%s must be a number, got '%s'"):format(n, text) end
        if spec.kind == "int" then v = math.tointeger(v) or v end
      elseif spec.kind == "bool" then
        if text ~= "true" and text ~= "false" then return nil, ("%s must be true or false, got '%s'"):format(n, text) end
        v = text == "true"
      else v = text end
      c[sec] = c[sec] or {}
      c[sec][k] = v
    end
  end
  return c
end

local function run(s)
  if s.mode == "neuron_traj" and not (s.neuron and s.traj) then
    U.add_log(s, "Choose the neuron file, then the trajectory file (Enter on each)", "error"); return
  end
  if s.mode == "asa" and not s.input then U.add_log(s, "Choose an input file first (Enter on a .npz)", "error"); return end
  local c, err = configuration(s)
  if not c then U.add_log(s, "Error: " .. err, "error"); return end
  local ok, R = pcall(runner.PipelineRunner, c, {
    log = function(line) U.add_log(s, line); draw(s) end,
    progress = function(pct, stage)
      s.progress, s.status = pct, pct < 100 and ("Running " .. stage .. "...") or s.status
      draw(s)
    end})
  if not ok then U.add_log(s, "Error: " .. tostring(R), "error"); return end
  s.status = "Running..."
  local r = R:run()
  s.figures = {}
  for name, p in pairs(r.artifacts) do
    if p:match("%.png$") then s.figures[#s.figures + 1] = {name, p} end
  end
  table.sort(s.figures, function(a, b) return a[1] < b[1] end)
  s.figure = 1
  if r.success then
    s.status, s.progress = "complete", 100
    U.add_log(s, ("%s: %d figures in %s (v: view, o: open)"):format(r.summary, #s.figures, r.out), "ok")
  else
    s.status = "failed"
    U.add_log(s, r.summary .. ": " .. tostring(r.error), "error")
  end
end

local function chosen_figure(s) return s.figures[s.figure] and s.figures[s.figure][2] end

local function key(s, k)
  if U.edit_key(s, k, function(name, text)
    if name == "workdir" then
      if text ~= "" then s.workdir, s.input, s.neuron, s.traj, s.figures = text, nil, nil, nil, {}; scan(s) end
    else
      s.values[name] = text
    end
  end) then return end
  if k == "q" or k == "esc" then s.quit = true
  elseif k == "tab" then s.focus = s.focus % 3 + 1
  elseif k == "btab" then s.focus = (s.focus + 1) % 3 + 1
  elseif k == "up" or k == "down" then
    local d = k == "up" and -1 or 1
    if s.focus == 1 then s.file = math.max(1, math.min(#s.files, s.file + d))
    elseif s.focus == 2 then s.param = math.max(1, math.min(#s.names, s.param + d))
    else s.figure = math.max(1, math.min(#s.figures, s.figure + d)) end
  elseif k == "enter" then
    if s.focus == 1 and s.files[s.file] and s.mode == "neuron_traj" then
      if s.neuron and not s.traj then
        s.traj = s.files[s.file]
        U.add_log(s, "Trajectory file: " .. s.traj)
      else
        s.neuron, s.traj = s.files[s.file], nil
        U.add_log(s, "Neuron file: " .. s.neuron .. " (now choose the trajectory file)")
      end
    elseif s.focus == 1 and s.files[s.file] then
      s.input = s.files[s.file]
      U.add_log(s, "Input: " .. s.input)
    elseif s.focus == 2 then
      local n = s.names[s.param]
      s.edit = {name = n, text = s.values[n]}
    elseif s.focus == 3 then U.view(s, chosen_figure(s)) end
  elseif k == "m" then
    s.mode = s.mode == "asa" and "neuron_traj" or "asa"
    U.add_log(s, s.mode == "asa" and "Input mode: ASA file" or "Input mode: Neuron + Traj")
    scan(s)
  elseif k == "r" or k == "ctrl-r" then run(s)
  elseif k == "v" then U.view(s, chosen_figure(s))
  elseif k == "o" then U.open(s, chosen_figure(s))
  elseif k == "ctrl-w" then s.edit = {name = "workdir", text = s.workdir}
  elseif k == "f5" then scan(s)
  end
end

--- Run the UI until the user quits (upstream `canns.pipeline.asa.main`).
-- @tparam[opt="."] string workdir the folder holding the sessions (results go under it)
function M.main(workdir)
  workdir = A.string(workdir, "canns asa", 1, "workdir", {default = "."})
  local s = new_state(workdir)
  U.add_log(s, "Choose a session (.npz), set the parameters, then press r to run.")
  U.loop(s, draw, key)
end

return M
