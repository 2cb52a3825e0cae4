-- LuaRocks rockspec: `luarocks make` in a clone of canns builds the C
-- library (CMake) and installs the Lua package `canns` (lua/canns/) with its
-- C module `canns.core` and libcanns for a stock Lua 5.4.  The build needs
-- the Debian packages of scripts/deps.sh (OpenBLAS, FFTW3, netCDF, libzip,
-- readline; Cairo, giflib for figures).  The `canns` executable is not part
-- of the rock: run scripts with `lua5.4 script.lua` after
-- `eval "$(luarocks path)"`, or install it with CMake (README.md).
rockspec_format = "3.0"
package = "canns"
version = "scm-1"
source = {
  -- `luarocks make` builds the checkout it is run in; this is not fetched.
  url = "git+file://./",
}
description = {
  summary = "Continuous attractor neural networks and attractor structure analysis in C, scripted in Lua",
  detailed = [[
    canns re-creates the Python toolkit of the same name (BrainPy/JAX and
    canns-lib): CANN models, tasks, analyzers and figures, with every number
    computed by C kernels (OpenMP, OpenBLAS, FFTW3).
  ]],
}
dependencies = {
  "lua >= 5.4, < 5.5",
}
build = {
  type = "cmake",
  variables = {
    CMAKE_BUILD_TYPE = "RelWithDebInfo",
    CMAKE_INSTALL_PREFIX = "$(PREFIX)",
    -- libcanns beside the C module, which finds it through $ORIGIN/..
    CMAKE_INSTALL_LIBDIR = "$(LIBDIR)",
    CANNS_LUA_INSTALL_DIR = "$(LUADIR)",
    CANNS_LUA_CINSTALL_DIR = "$(LIBDIR)",
    CANNS_INSTALL_EXECUTABLE = "OFF",
    CANNS_BUILD_TESTS = "OFF",
    CANNS_CUDA = "OFF", -- CUDA is device discovery only so far
    CANNS_VERSIONED_LIBRARY = "OFF", -- LuaRocks moves files, not version links
  },
}
