# Figures and animations (src/plot/): Cairo (PNG/SVG/PDF/PS surfaces and
# its fontconfig text), giflib for GIF.  Videos go through the `ffmpeg`
# program at run time (optional; see src/plot/video.c), so nothing of
# FFmpeg is linked.
pkg_check_modules(CAIRO REQUIRED IMPORTED_TARGET cairo cairo-png cairo-svg cairo-pdf cairo-ps fontconfig)
find_path(GIF_INCLUDE_DIR gif_lib.h REQUIRED)
find_library(GIF_LIBRARY gif REQUIRED)
list(APPEND CANNS_EXTRA_LIBS PkgConfig::CAIRO ${GIF_LIBRARY})
include_directories(SYSTEM ${GIF_INCLUDE_DIR})
file(GLOB CANNS_PLOT_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/plot/*.c)
list(APPEND CANNS_EXTRA_LIB_SOURCES ${CANNS_PLOT_SOURCES})
list(APPEND CANNS_EXTRA_DEFS CANNS_HAVE_PLOT=1)
