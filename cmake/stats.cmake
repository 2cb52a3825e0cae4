# Significance tests of correlations (src/analysis/corrtest.c): the
# Student t distribution's tail from GSL (libgsl-dev).
pkg_check_modules(GSL REQUIRED IMPORTED_TARGET gsl)
list(APPEND CANNS_EXTRA_LIBS PkgConfig::GSL)
