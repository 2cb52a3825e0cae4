-- The terminal UIs' screen binding (canns.core.curses) and `canns
-- gallery`'s entry point without a terminal: clear errors, nothing drawn.
-- The UI itself is driven through tmux by tests/tui_gallery.sh.
local canns = require "canns"
local C = canns.core.curses

describe("canns.core.curses without a terminal", function()
  it("refuses to start when stdin/stdout are not a terminal", function()
    -- busted runs under ctest with its output captured: not a terminal
    testutil.fails_with("curses.init: needs a terminal", C.init)
    assert.is_false(C.active())
  end)

  it("refuses to draw before the screen is started", function()
    for name, args in pairs({put = {0, 0, "x"}, getch = {10}, size = {}, erase = {}, refresh = {},
                             image = {"x.png", 0, 0, 1, 1}}) do
      testutil.fails_with("curses." .. name .. ": the screen is not started", C[name], table.unpack(args))
    end
    C.finish() -- harmless when not started
    C.finish()
  end)

  it("gallery_main checks its folder and needs a terminal", function()
    testutil.fails_with("canns gallery: argument 1 (workdir) must be a string",
                        canns.pipeline.gallery.gallery_main, 42)
    testutil.fails_with("curses.init: needs a terminal", canns.pipeline.gallery.gallery_main, ".")
  end)

  it("asa_main checks its folder and needs a terminal", function()
    testutil.fails_with("canns asa: argument 1 (workdir) must be a string", canns.pipeline.asa.asa_main, 42)
    testutil.fails_with("curses.init: needs a terminal", canns.pipeline.asa.asa_main, ".")
  end)
end)
