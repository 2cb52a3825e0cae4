# Data sets (src/io/download.c, lua/canns/data/): downloads through
# libcurl (Debian: libcurl4-gnutls-dev) and SHA-256 digests from nettle
# (nettle-dev; GnuTLS, which libcurl-gnutls uses, is built on it).
pkg_check_modules(CURL REQUIRED IMPORTED_TARGET libcurl)
pkg_check_modules(NETTLE REQUIRED IMPORTED_TARGET nettle)
list(APPEND CANNS_EXTRA_LIBS PkgConfig::CURL PkgConfig::NETTLE)
