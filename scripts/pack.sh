#!/usr/bin/env bash
# Builds the library and packs it exactly as `npm run build && npm pack` would (same package.json, same `files`),
# but in a staging copy, so the checkout's dist/ is never touched (several builds may run at once).
# Usage: scripts/pack.sh <destination-dir>   → prints the tarball's absolute path on stdout.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$(mkdir -p "${1:?usage: scripts/pack.sh <destination-dir>}" && cd "$1" && pwd)"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT

cp "$root/package.json" "$stage/"
if [ -f "$root/README.md" ]; then cp "$root/README.md" "$stage/"; fi
# The build script's compiler step, redirected to the staging dist/.
"$root/node_modules/.bin/tsc" -p "$root/tsconfig.build.json" --outDir "$stage/dist" >&2
tarball="$(cd "$stage" && npm pack --ignore-scripts --silent --pack-destination "$dest" | tail -n 1)"
echo "$dest/$tarball"
