#!/usr/bin/env bash
# A Nest <major> user's app on the packed library: packs it (scripts/pack.sh), installs it into a scratch project
# from the registry with the README's install line for that major (plus the app's own @nestjs/platform-express and
# @nestjs/testing of the same major), then runs scripts/consumer-check.sh there: type-check, boot of the compiled
# CommonJS app with plain node (offline settings, a flag read, a gated route), and the Jest e2e test with the testing
# module. Exits 0 on success. Usage: scripts/nest-consumer-check.sh <11|12>
set -euo pipefail
major="${1:?usage: scripts/nest-consumer-check.sh <Nest major, e.g. 11>}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
started=$SECONDS

# The README's line, exactly: the first `npm install nestjs-vwo ...` after "# Nest <major>".
line="$(awk -v tag="# Nest $major" '$0 == tag { getline; print; exit }' "$root/README.md")"
case "$line" in
  'npm install nestjs-vwo '*) ;;
  *) echo "nest$major: README.md has no install line under '# Nest $major'" >&2; exit 1 ;;
esac
read -r -a packages <<< "${line#npm install nestjs-vwo }"

echo "nest$major: packing nestjs-vwo" >&2
tarball="$("$root/scripts/pack.sh" "$work")"

mkdir "$work/app"
cd "$work/app"
echo "{ \"name\": \"nest$major-consumer\", \"version\": \"1.0.0\", \"private\": true }" > package.json
echo "nest$major: npm install $(basename "$tarball") ${packages[*]} (the README's line) + the app's platform and testing packages" >&2
npm install --no-audit --no-fund --no-package-lock --loglevel=error \
  "$tarball" "${packages[@]}" "@nestjs/platform-express@^$major" "@nestjs/testing@^$major" >&2

echo "nest$major: compiling, booting and testing the consumer app" >&2
report="$("$root/scripts/consumer-check.sh" "$work/app" node10)"
echo "$report"
case "$report" in
  *"\"nest\":\"$major."*) ;;
  *) echo "nest$major: the app did not run on Nest $major" >&2; exit 1 ;;
esac
echo "nest$major: passed in $((SECONDS - started)) s" >&2
