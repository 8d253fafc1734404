#!/usr/bin/env bash
# Packs the library as `npm pack` does from a fresh clone: a staging copy of the sources with no dist/, where
# npm's own `prepack` script builds it (so a tarball without code cannot slip through). The checkout's dist/ is
# never touched (several packs may run at once). node_modules is the checkout's (linked, as after `npm ci`).
# Usage: scripts/pack.sh <destination-dir>   → prints the tarball's absolute path on stdout.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$(mkdir -p "${1:?usage: scripts/pack.sh <destination-dir>}" && cd "$1" && pwd)"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT

cp "$root/package.json" "$root/tsconfig.json" "$root/tsconfig.build.json" "$stage/"
if [ -f "$root/README.md" ]; then cp "$root/README.md" "$stage/"; fi
cp -R "$root/lib" "$stage/lib"
ln -s "$root/node_modules" "$stage/node_modules"
# npm runs prepack (the build) here; its output goes to stderr so stdout is only the tarball's name.
tarball="$(cd "$stage" && npm pack --pack-destination "$dest" --loglevel=warn 2>&1 >"$stage/.pack-out" | cat >&2; tail -n 1 "$stage/.pack-out")"
if ! tar -tzf "$dest/$tarball" package/dist/index.js >/dev/null 2>&1; then
  echo "pack: $tarball has no dist/index.js" >&2
  exit 1
fi
echo "$dest/$tarball"
