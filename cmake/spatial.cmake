# Spatial navigation (src/spatial/): the agent's step and its normal
# draws are hot loops, compiled like the kernels (no errno from libm,
# which changes no result).
set_source_files_properties(${CMAKE_SOURCE_DIR}/src/spatial/agent.c
                            ${CMAKE_SOURCE_DIR}/src/spatial/normal.c
                            ${CMAKE_SOURCE_DIR}/src/spatial/geodesic.c
                            PROPERTIES COMPILE_OPTIONS "-O3;-fno-math-errno")
