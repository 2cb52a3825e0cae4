--- `canns tui`: the launcher of the terminal UIs, after upstream's
-- `canns.pipeline.launcher` (`canns-tui`, a Textual app; here ncurses
-- through C).  A card "Choose a workflow" offers "ASA (Attractor Structure
-- Analyzer)", "Model Gallery" and "Quit"; the choice starts `canns asa`
-- or `canns gallery` in the same terminal.
--
--     canns tui [workdir]
--
-- Keys: Left / Right / Tab / Up / Down move between the buttons, Enter
-- chooses, `a` / `g` choose ASA / the gallery directly, `q` or Esc quits.
-- @module canns.pipeline.launcher

local A = require "canns.argcheck"

local M = {}

--- The buttons in display order: `{key, label}`.
M.CHOICES = {{"asa", "ASA (Attractor Structure Analyzer)"}, {"gallery", "Model Gallery"}, {"quit", "Quit"}}

local function draw(s)
  local C = require("canns.core").curses
  local rows, cols = C.size()
  C.erase()
  C.put(0, 0, " canns ", "title")
  local w = 50
  local top, left = math.max(1, rows // 2 - 5), math.max(0, (cols - w) // 2)
  C.put(top, left, ("+" .. ("-"):rep(w - 2) .. "+"), "dim")
  C.put(top + 1, left + 2, "Choose a workflow", "bold")
  C.put(top + 2, left + 2, "ASA analysis or Model Gallery", "dim")
  for i, c in ipairs(M.CHOICES) do
    local sel = i == s.choice
    C.put(top + 3 + i, left + 4, (sel and "> " or "  ") .. "[ " .. c[2] .. " ]", sel and "reverse" or nil, w - 6)
  end
  C.put(top + 8, left, ("+" .. ("-"):rep(w - 2) .. "+"), "dim")
  C.put(rows - 1, 0, " Up/Down or Tab move  Enter choose  a ASA  g gallery  q quit ", "reverse", cols)
  C.refresh()
end

local function key(s, k)
  local n = #M.CHOICES
  if k == "q" or k == "esc" then s.result, s.quit = "quit", true
  elseif k == "a" then s.result, s.quit = "asa", true
  elseif k == "g" then s.result, s.quit = "gallery", true
  elseif k == "down" or k == "right" or k == "tab" then s.choice = s.choice % n + 1
  elseif k == "up" or k == "left" or k == "btab" then s.choice = (s.choice - 2) % n + 1
  elseif k == "enter" then s.result, s.quit = M.CHOICES[s.choice][1], true
  end
end

--- The mode picker (upstream `ModePicker`): `ModePicker():run()` shows the
-- card until a choice is made and returns "asa", "gallery" or "quit".
-- `picker:key(k)` feeds one key without a terminal (for scripts and tests).
-- @treturn table the picker (`choice`, the highlighted button's index)
function M.ModePicker()
  local s = {choice = 1, quit = false}
  function s.key(self, k) key(self, k); return self.result end
  function s.run(self)
    require("canns.pipeline.tui.common").loop(self, draw, key)
    return self.result or "quit"
  end
  return s
end

--- Run the launcher and then the chosen UI (upstream `launcher_main`).
-- @tparam[opt="."] string workdir handed to the chosen UI
-- @treturn string the choice
function M.launcher_main(workdir)
  workdir = A.string(workdir, "canns tui", 1, "workdir", {default = "."})
  local choice = M.ModePicker():run()
  if choice == "asa" then require("canns.pipeline.asa").asa_main(workdir)
  elseif choice == "gallery" then require("canns.pipeline.gallery").gallery_main(workdir) end
  return choice
end

--- `canns tui [workdir]` (upstream `main`): the launcher; exit status 0.
function M.main(workdir)
  M.launcher_main(workdir)
  return 0
end

return M
