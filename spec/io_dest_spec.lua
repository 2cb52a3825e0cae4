-- Where the writers write (save/save_npy, save_npz, save_nc, savefig):
-- through symbolic links to the file they point to (the link stays), and,
-- as root, straight into device nodes made in the test's own folder (the
-- same devices as /dev/null and /dev/full): the node stays, and a full
-- device is an error saying so.  /dev itself is never used.
local canns = require "canns"
local cio = require "canns.io"
local viz = require "canns.analyzer.visualization"

local function sh(cmd) return os.execute(cmd) == true end

local function writers(a)
  local function fig()
    local f = viz.figure{figsize = {2, 2}}
    f:subplot(1, 1, 1):plot({1, 2, 3}, {1, 4, 9})
    return f
  end
  return {
    {"save_npy", "x.npy", function(p) a:save(p) end}, -- a:save reports as save_npy
    {"save_npy", "x.npy", function(p) cio.save_npy(p, a) end},
    {"save_npz", "x.npz", function(p) cio.save_npz(p, {u = a}) end},
    {"save_npz", "e.npz", function(p) cio.save_npz(p, {}) end},
    {"save_nc", "x.nc", function(p) cio.save_nc(p, {u = a}) end},
    {"savefig", "x.png", function(p) fig():savefig(p) end},
    {"savefig", "x.svg", function(p) fig():savefig(p) end},
  }
end

describe("writers and their destinations", function()
  local dir
  before_each(function() dir = testutil.tmpdir() end)
  after_each(function() testutil.rmtree(dir) end)
  local a = canns.linspace(0, 1, 12):reshape({3, 4})

  it("write through symbolic links to the file they point to", function()
    for _, w in ipairs(writers(a)) do
      local name, file, write = w[1], w[2], w[3]
      local target, link = dir .. "/target-" .. file, dir .. "/link-" .. file
      local f = assert(io.open(target, "wb"))
      f:write("old contents")
      f:close()
      assert.is_true(sh("ln -s 'target-" .. file .. "' '" .. link .. "'"))
      write(link)
      assert.is_true(sh("test -L '" .. link .. "'"), name .. ": the link was replaced")
      f = assert(io.open(target, "rb"))
      local got = f:read("a")
      f:close()
      assert.are_not.equal("old contents", got, name .. ": the target kept its data")
      if file == "x.npy" then
        assert.are.same(a:totable(), cio.load_npy(target):totable())
      elseif file == "x.npz" then
        assert.are.same(a:totable(), cio.load_npz(target).u:totable())
      elseif file == "x.nc" then
        assert.are.same(a:totable(), cio.load_nc(target).u:totable())
      end
      os.remove(link)
      os.remove(target)
    end
    -- nothing else (no temporary) is left in the folder
    local p = io.popen("ls -A '" .. dir .. "'")
    assert.are.equal("", p:read("a"))
    p:close()
  end)

  it("write straight into devices and report a full one", function()
    if not sh("test \"$(id -u)\" -eq 0") then
      pending("not root: device nodes cannot be made")
      return
    end
    for _, w in ipairs(writers(a)) do
      local name, file, write = w[1], w[2], w[3]
      local null, full = dir .. "/null-" .. file, dir .. "/full-" .. file
      assert.is_true(sh("mknod '" .. null .. "' c 1 3 && mknod '" .. full .. "' c 1 7"))
      write(null)
      testutil.fails_with(name .. ": ", write, full)
      testutil.fails_with("No space left on device", write, full)
      assert.is_true(sh("test -c '" .. null .. "' && test -c '" .. full .. "'"),
                     name .. ": a device node was replaced")
      os.remove(null)
      os.remove(full)
    end
  end)
end)
