#!/bin/sh
# The repository must stand alone: no file may cite the design notes that
# lived outside it (the behavioural specs "spec/<name>.md" or the shared
# folder next to the checkout).  Cite upstream's module and function names
# instead.  Usage: self_contained.sh SOURCE_DIR
set -eu
src=$1
cd "$src"
pat='spec/[a-z_]+\.md|\.\./shared/|/work/shared'
if [ -d .git ] || [ -f .git ]; then
  files=$(git ls-files 2>/dev/null || true)
fi
if [ -z "${files:-}" ]; then
  files=$(find . -path ./.git -prune -o -path './build*' -prune -o -type f -print)
fi
hits=$(printf '%s\n' "$files" | grep -v '^\(\./\)\?tests/self_contained\.sh$' |
       tr '\n' '\0' | xargs -0 grep -nIE "$pat" 2>/dev/null || true)
if [ -n "$hits" ]; then
  printf '%s\n' "$hits" | head -40
  echo "these lines cite files that are not in the repository" >&2
  exit 1
fi
echo "no file cites material outside the repository"
