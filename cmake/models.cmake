# Example of a model written in C and loaded as a Lua C module
# (examples/cmodel/, docs/extending.md): build/examples/cmodel/leaky.so.
# It links libcanns (shared) and takes the Lua symbols from the host.
add_library(canns_example_leaky MODULE ${CMAKE_SOURCE_DIR}/examples/cmodel/leaky.c)
target_include_directories(canns_example_leaky PRIVATE ${LUA_INCLUDE_DIRS})
target_link_libraries(canns_example_leaky PRIVATE canns)
set_target_properties(canns_example_leaky PROPERTIES PREFIX "" OUTPUT_NAME leaky
  LIBRARY_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/examples/cmodel)
