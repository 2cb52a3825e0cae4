--- What the terminal UIs (`canns gallery`, `canns asa`) share: the log
-- pane, the one-line editor, the figure viewer (drawn in the terminal or
-- opened with the system viewer) and the main loop.
-- @module canns.pipeline.tui.common

local core = require "canns.core"

local M = {}

local C = core.curses

--- Append a line (or several) to the state's log, keeping the last 200.
function M.add_log(s, line, style)
  for piece in tostring(line):gmatch("[^\n]+") do s.log[#s.log + 1] = {piece, style} end
  while #s.log > 200 do table.remove(s.log, 1) end
end

--- Draw the last `n` log lines from row `top` (a rule above them).
function M.draw_log(s, top, n, cols)
  C.put(top - 1, 0, ("-"):rep(cols), "dim")
  for i = 1, n do
    local e = s.log[#s.log - n + i]
    if e then C.put(top + i - 1, 1, e[1], e[2], cols - 2) end
  end
end

--- Feed a key to the line editor `s.edit` (`{name, text}`): Enter calls
-- `accept(name, text)`, Esc cancels.  Returns true when the key was the
-- editor's.
function M.edit_key(s, k, accept)
  if not s.edit then return false end
  if k == "enter" then
    local e = s.edit
    s.edit = nil
    accept(e.name, e.text)
  elseif k == "esc" then s.edit = nil
  elseif k == "backspace" then s.edit.text = s.edit.text:sub(1, -2)
  elseif #k == 1 then s.edit.text = s.edit.text .. k end
  return true
end

--- Draw the figure `path` over the whole screen until a key is pressed.
function M.view(s, path)
  if not path then M.add_log(s, "Nothing to view yet: run an analysis first (r)", "error"); return end
  local rows, cols = C.size()
  C.erase()
  C.put(0, 0, " " .. path .. " ", "title", cols)
  local ok, err = pcall(C.image, path, 1, 0, rows - 2, cols)
  if not ok then M.add_log(s, "Cannot show the figure: " .. tostring(err), "error"); return end
  C.put(rows - 1, 0, " any key: back ", "reverse", cols)
  C.refresh()
  C.getch()
end

local function on_path(prog)
  for dir in (os.getenv("PATH") or ""):gmatch("[^:]+") do
    local f = io.open(dir .. "/" .. prog, "rb")
    if f then f:close() return true end
  end
  return false
end

--- Open `path` with the system viewer (`xdg-open`) when there is a
-- display and xdg-open is installed; otherwise log the path.
function M.open(s, path)
  if not path then M.add_log(s, "Nothing to open yet: run an analysis first (r)", "error"); return end
  local disp = os.getenv("DISPLAY") or os.getenv("WAYLAND_DISPLAY")
  if not disp or disp == "" or not on_path("xdg-open") then
    M.add_log(s, "No display or xdg-open: the figure is " .. path .. " (v views it here)", "error")
    return
  end
  local ok, err = pcall(core.proc_spawn, {"/usr/bin/env", "xdg-open", path})
  M.add_log(s, ok and ("Opened " .. path) or ("Cannot start xdg-open: " .. tostring(err)), ok and "ok" or "error")
end

--- Run a UI until `s.quit`: `draw(s)` then `key(s, k)` for every key; the
-- screen is restored even when they raise.
function M.loop(s, draw, key)
  C.init()
  local ok, err = xpcall(function()
    while not s.quit do
      draw(s)
      local k = C.getch()
      if k then key(s, k) end
    end
  end, debug.traceback)
  C.finish()
  if not ok then error(err, 0) end
end

return M
