# Learning rules (src/learn/): the per-sample loops are hot; vectorise them
# like the kernels under kernels/cpu.
file(GLOB CANNS_LEARN_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/learn/*.c)
set_source_files_properties(${CANNS_LEARN_SOURCES} PROPERTIES COMPILE_OPTIONS "-O3;-fno-math-errno")
