#!/usr/bin/env bash
# The installed size of hone, unstripped (what `cmake --install` of a RelWithDebInfo build gives) against
# stripped (`cmake --install --strip`, what the .deb ships: CPACK_STRIP_FILES), per file and in total, and
# the .deb itself. Sizes are bytes of file content (du --apparent-size), so the figure does not depend on
# the file system's block size; nothing here is timed.
#
# Usage: tests/bench/package-size.sh [BUILD_DIR]     (default build/dev; it must be built)
set -euo pipefail
build=${1:-build/dev}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cmake --install "$build" --prefix "$scratch/unstripped" > /dev/null
cmake --install "$build" --prefix "$scratch/stripped" --strip > /dev/null
size() { du -sb --apparent-size "$1" | cut -f1; }
echo "file                          unstripped      stripped"
for file in bin/hone bin/hone-pgo bin/hone-analyze bin/hone-bench bin/hone-profile bin/hone-report lib/libhone_alloc_preload.so; do
  [ -e "$scratch/unstripped/$file" ] || continue
  printf '%-28s %12d  %12d\n' "$file" "$(size "$scratch/unstripped/$file")" "$(size "$scratch/stripped/$file")"
done
unstripped=$(size "$scratch/unstripped")
stripped=$(size "$scratch/stripped")
printf '%-28s %12d  %12d  (stripped = %.3f of unstripped)\n' "whole install" "$unstripped" "$stripped" \
  "$(echo "$stripped / $unstripped" | bc -l)"
(cd "$scratch" && cpack -G DEB --config "$(cd "$OLDPWD" && realpath "$build")/CPackConfig.cmake" -B "$scratch/pkg" > /dev/null)
deb=$(ls "$scratch"/pkg/*.deb)
printf '%-28s %12d bytes; Installed-Size %s KiB\n' "$(basename "$deb")" "$(stat -c %s "$deb")" \
  "$(dpkg-deb -f "$deb" Installed-Size)"
