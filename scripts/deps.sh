#!/bin/sh
# Installs the Debian packages canns needs to build, test and run, if any
# is missing.  Used by build.sh; safe to run repeatedly.
PACKAGES="build-essential cmake pkg-config git
  liblua5.4-dev lua5.4 lua-busted luarocks
  libopenblas-dev libfftw3-dev libnetcdf-dev netcdf-bin libzip-dev libmatio-dev libgsl-dev libigraph-dev
  libreadline-dev ripser libsqlite3-dev sqlite3 libopenmpi-dev openmpi-bin
  libncurses-dev tmux
  libcairo2-dev libgif-dev fonts-dejavu-core ffmpeg
  libcurl4-gnutls-dev nettle-dev"
missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "canns: installing Debian packages:$missing"
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq &&
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
fi
