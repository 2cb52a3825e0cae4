--- `canns gallery`: the model gallery's terminal UI, after upstream's
-- `canns.pipeline.gallery.app` (a Textual app; here ncurses through C).
--
--     canns gallery [workdir]
--
-- Choose a model and an analysis, edit their parameters (upstream's
-- defaults, `canns.pipeline.gallery.DEFAULTS`), run it with its progress
-- lines in the log, and see the figure drawn in the terminal (upper-half
-- blocks in 256 colours, or characters on a plain terminal) or opened in
-- the system's viewer.  Figures go to `<workdir>/Results/gallery/<model>/`
-- as upstream's app writes them.
--
-- Keys: Tab / Shift-Tab move between the lists, Up / Down choose, Enter
-- edits the chosen parameter (Enter accepts, Esc cancels), `r` (or
-- Ctrl-R) runs, `v` views the last figure, `o` opens it with the system
-- viewer, Ctrl-W changes the working folder, F5 redraws, `q` (or Esc)
-- quits.
-- @module canns.pipeline.tui.gallery

local A = require "canns.argcheck"
local core = require "canns.core"
local G = require "canns.pipeline.gallery"
local U = require "canns.pipeline.tui.common"

local M = {}

local C = core.curses
local FIRST = {"seed", "num", "length", "tau", "k", "a", "A", "J0", "dt"}

-- The parameters of a model in display order, values as text.
local function param_list(model)
  local d, names, seen = G.DEFAULTS[model], {}, {}
  for _, n in ipairs(FIRST) do
    if d[n] ~= nil then names[#names + 1], seen[n] = n, true end
  end
  local rest = {}
  for n in pairs(d) do if not seen[n] then rest[#rest + 1] = n end end
  table.sort(rest)
  for _, n in ipairs(rest) do names[#names + 1] = n end
  local values = {}
  for _, n in ipairs(names) do
    local v = d[n]
    values[n] = math.type(v) == "float" and ("%.6g"):format(v):gsub("^(%-?%d+)$", "%1.0") or tostring(v)
  end
  return names, values
end

local function new_state(workdir)
  local s = {workdir = workdir, model = 1, analysis = 1, focus = 1, param = 1, top = 0,
             params = {}, names = {}, log = {}, output = nil, edit = nil, quit = false}
  for _, m in ipairs(G.MODELS) do s.names[m[1]], s.params[m[1]] = param_list(m[1]) end
  return s
end

local function model_key(s) return G.MODELS[s.model][1] end

local add_log = U.add_log

local function draw(s)
  local rows, cols = C.size()
  C.erase()
  C.put(0, 0, " canns gallery ", "title")
  C.put(0, 16, "workdir: " .. s.workdir, "dim")
  local lw = 26
  local function list(row, title, items, sel, focused)
    C.put(row, 1, title, focused and "bold" or "dim")
    for i, it in ipairs(items) do
      C.put(row + i, 2, (i == sel and "> " or "  ") .. it[2], (i == sel and focused) and "reverse" or nil, lw - 3)
    end
    return row + #items + 2
  end
  local r = list(2, "Model", G.MODELS, s.model, s.focus == 1)
  list(r, "Analysis", G.ANALYSES[model_key(s)], s.analysis, s.focus == 2)
  -- parameters
  local names, values = s.names[model_key(s)], s.params[model_key(s)]
  local log_rows = math.max(4, rows // 4)
  local prow = rows - log_rows - 4
  C.put(2, lw, "Parameters (" .. G.MODELS[s.model][2] .. ")", s.focus == 3 and "bold" or "dim")
  if s.param - s.top > prow then s.top = s.param - prow end
  if s.param <= s.top then s.top = s.param - 1 end
  for i = s.top + 1, math.min(#names, s.top + prow) do
    local n = names[i]
    local v = (s.edit and s.edit.name == n) and (s.edit.text .. "_") or values[n]
    local sel = i == s.param and s.focus == 3
    C.put(2 + i - s.top, lw + 1, ("%-20s %s"):format(n, v), sel and "reverse" or nil, math.max(0, cols - lw - 2))
  end
  if s.edit and s.edit.name == "workdir" then
    C.put(1, 16, "workdir: " .. s.edit.text .. "_", "reverse")
  end
  -- log
  U.draw_log(s, rows - log_rows - 1, log_rows, cols)
  C.put(rows - 1, 0, " Tab pane  Up/Down choose  Enter edit  r run  v view  o open  ^W workdir  q quit ",
        "reverse", cols)
  C.refresh()
end

local function out_dir(s) return ("%s/Results/gallery/%s"):format(s.workdir, model_key(s)) end

local function run(s)
  local model = model_key(s)
  local analysis = G.ANALYSES[model][s.analysis][1]
  local params = {}
  for n, v in pairs(s.params[model]) do params[n] = v end
  local ok, r = pcall(G.run, {model = model, analysis = analysis, out = out_dir(s), params = params,
                              log = function(line) add_log(s, line); draw(s) end})
  if not ok then
    add_log(s, "Error: " .. tostring(r), "error")
  elseif r.success then
    s.output = r.output
    local dir, name = r.output:match("^(.*)/([^/]*)$")
    add_log(s, ("%s: %s  (v: view, o: open; in %s)"):format(r.summary, name or r.output, dir or "."), "ok")
  else
    add_log(s, r.summary .. ": " .. tostring(r.error), "error")
  end
end

local function key(s, k)
  local model = model_key(s)
  if U.edit_key(s, k, function(name, text)
    if name == "workdir" then
      if text ~= "" then s.workdir = text end
    else
      s.params[model][name] = text
    end
  end) then return end
  if k == "q" or k == "esc" then s.quit = true
  elseif k == "tab" then s.focus = s.focus % 3 + 1
  elseif k == "btab" then s.focus = (s.focus + 1) % 3 + 1
  elseif k == "up" or k == "down" then
    local d = k == "up" and -1 or 1
    if s.focus == 1 then
      s.model = math.max(1, math.min(#G.MODELS, s.model + d))
      s.analysis, s.param, s.top = 1, 1, 0
    elseif s.focus == 2 then
      s.analysis = math.max(1, math.min(#G.ANALYSES[model], s.analysis + d))
    else
      s.param = math.max(1, math.min(#s.names[model], s.param + d))
    end
  elseif k == "enter" then
    if s.focus == 3 then
      local n = s.names[model][s.param]
      s.edit = {name = n, text = s.params[model][n]}
    else
      s.focus = s.focus + 1
    end
  elseif k == "r" or k == "ctrl-r" then run(s)
  elseif k == "v" then U.view(s, s.output)
  elseif k == "o" then U.open(s, s.output)
  elseif k == "ctrl-w" then s.edit = {name = "workdir", text = s.workdir}
  end
end

--- Run the UI until the user quits.
-- @tparam[opt="."] string workdir the folder the figures go under
function M.main(workdir)
  workdir = A.string(workdir, "canns gallery", 1, "workdir", {default = "."})
  local s = new_state(workdir)
  add_log(s, "Choose a model and an analysis, then press r to run it.")
  U.loop(s, draw, key)
end

return M
