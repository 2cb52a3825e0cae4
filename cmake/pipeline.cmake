# Pipelines (lua/canns/pipeline/, src/lua/l_db.c, src/lua/l_proc.c): the
# sweep index is an SQLite database (libsqlite3).
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
list(APPEND CANNS_EXTRA_LUA_LIBS PkgConfig::SQLITE3)
# The terminal UIs (`canns gallery`; src/lua/l_curses.c): ncursesw.
# Only its libraries: its pkg-config flags (_XOPEN_SOURCE=600) would narrow
# what the other bindings see of libc.
pkg_check_modules(NCURSESW REQUIRED ncursesw)
list(APPEND CANNS_EXTRA_LUA_LIBS ${NCURSESW_LINK_LIBRARIES})
# The MPI sweep scheduler's binding (src/lua/module/mpi_module.c ->
# build/lib/canns/mpi.so), built only when MPI is found (OpenMPI from
# Debian: libopenmpi-dev).  It is loaded only under mpirun, so libmpi is
# never linked into the library or the executable.
set(CANNS_MPI "AUTO" CACHE STRING "Build the MPI sweep scheduler's binding: AUTO, ON or OFF")
if(NOT CANNS_MPI STREQUAL "OFF")
  pkg_check_modules(MPI_C IMPORTED_TARGET ompi-c)
  if(MPI_C_FOUND)
    add_library(canns_mpi MODULE ${CMAKE_SOURCE_DIR}/src/lua/module/mpi_module.c)
    target_include_directories(canns_mpi PRIVATE ${LUA_INCLUDE_DIRS})
    target_link_libraries(canns_mpi PRIVATE PkgConfig::MPI_C)
    set_target_properties(canns_mpi PROPERTIES PREFIX "" OUTPUT_NAME mpi
      LIBRARY_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/lib/canns)
    # Symbols of liblua come from the host interpreter.
    target_link_options(canns_mpi PRIVATE -Wl,--allow-shlib-undefined)
    install(TARGETS canns_mpi LIBRARY DESTINATION ${CANNS_LUA_CINSTALL_DIR}/canns)
    message(STATUS "canns: MPI sweep scheduler enabled (OpenMPI ${MPI_C_VERSION})")
  elseif(CANNS_MPI STREQUAL "ON")
    message(FATAL_ERROR "CANNS_MPI=ON but OpenMPI (pkg-config ompi-c) was not found")
  else()
    message(STATUS "canns: OpenMPI not found; MPI sweeps split the points statically")
  endif()
endif()
