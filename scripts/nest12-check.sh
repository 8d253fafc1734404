#!/usr/bin/env bash
# Nest 12 compatibility check: packs the library, installs it with the Nest 12 line into a scratch project
# (from the registry), then type-checks and boots the compiled CommonJS app of scripts/consumer-app with
# plain node (offline settings, one request reading a flag, one gated route). Exits 0 on success.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
started=$SECONDS

echo "nest12: packing nestjs-vwo" >&2
tarball="$("$root/scripts/pack.sh" "$work")"

mkdir "$work/app"
cd "$work/app"
echo '{ "name": "nest12-consumer", "version": "1.0.0", "private": true }' > package.json
echo "nest12: installing the Nest 12 line + $(basename "$tarball")" >&2
npm install --no-audit --no-fund --no-package-lock --loglevel=error \
  '@nestjs/common@^12' '@nestjs/core@^12' '@nestjs/platform-express@^12' '@nestjs/schedule@^12' '@nestjs/axios@^12' \
  axios rxjs reflect-metadata class-validator class-transformer "$tarball" >&2

echo "nest12: compiling and booting the consumer app" >&2
report="$("$root/scripts/consumer-check.sh" "$work/app" node10)"
echo "$report"
case "$report" in
  *'"nest":"12.'*) ;;
  *) echo "nest12: the app did not run on Nest 12" >&2; exit 1 ;;
esac
echo "nest12: passed in $((SECONDS - started)) s" >&2
