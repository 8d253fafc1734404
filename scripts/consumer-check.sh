#!/usr/bin/env bash
# Compiles scripts/consumer-app/main.ts inside a project whose node_modules already hold the packed
# nestjs-vwo and its peers, type-checking it under each given TypeScript module resolution (the first one
# also emits CommonJS), then runs it with plain node. Prints the app's JSON report; exits non-zero on failure.
# Then runs a user's Jest e2e test of such an app (scripts/consumer-app/app.e2e-spec.ts: VWOTestingModule in
# place of a forRootAsync VWOModule), with the repository's Jest and @swc/jest; on Nest 12 the ESM-only
# packages are compiled to CommonJS on the way in. The project also needs @nestjs/testing and
# @nestjs/platform-express of its Nest major.
# Usage: scripts/consumer-check.sh <project-dir> [resolution...]   (resolutions: node10, node16; default node10)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
project="$(cd "${1:?usage: scripts/consumer-check.sh <project-dir> [resolution...]}" && pwd)"
shift
resolutions=("${@:-node10}")

mkdir -p "$project/src" "$project/test"
cp "$root/scripts/consumer-app/main.ts" "$project/src/main.ts"
cp "$root/scripts/consumer-app/app.e2e-spec.ts" "$project/test/app.e2e-spec.ts"

# The first pass also checks the libraries' .d.ts files (ours included); later passes only the app.
write_tsconfig() { # <file> <resolution> <noEmit> [file to check, default src/main.ts]
  local module=commonjs
  if [ "$2" = node16 ]; then module=node16; fi
  local input="${4:-src/main.ts}" types='"node"'
  if [ "$input" != src/main.ts ]; then types='"node", "jest"'; fi
  cat > "$1" <<JSON
{
  "compilerOptions": {
    "module": "$module",
    "moduleResolution": "$2",
    "target": "ES2022",
    "lib": ["ES2022", "DOM"],
    "strict": true,
    "experimentalDecorators": true,
    "emitDecoratorMetadata": true,
    "esModuleInterop": true,
    "skipLibCheck": $3,
    "noEmit": $3,
    "outDir": "dist",
    "typeRoots": ["$root/node_modules/@types"],
    "types": [$types]
  },
  "files": ["$input"]
}
JSON
}

first=1
for resolution in "${resolutions[@]}"; do
  config="$project/tsconfig.$resolution.json"
  if [ "$first" = 1 ]; then write_tsconfig "$config" "$resolution" false; else write_tsconfig "$config" "$resolution" true; fi
  "$root/node_modules/.bin/tsc" -p "$config" >&2 || { echo "consumer type-check failed with moduleResolution=$resolution" >&2; exit 1; }
  first=0
done

# The e2e test type-checks against the packed .d.ts too (VWOTestingModule.override with this Nest's builder).
write_tsconfig "$project/tsconfig.e2e.json" "${resolutions[0]}" true test/app.e2e-spec.ts
"$root/node_modules/.bin/tsc" -p "$project/tsconfig.e2e.json" >&2 || { echo "consumer e2e test type-check failed" >&2; exit 1; }

cd "$project"
node dist/main.js

nest_major="$(node -p "require('./node_modules/@nestjs/core/package.json').version.split('.')[0]")"
swc_options='{ "jsc": { "parser": { "syntax": "typescript", "decorators": true }, "transform": { "legacyDecorator": true, "decoratorMetadata": true }, "target": "es2022" }, "module": { "type": "commonjs" } }'
ignore='"/node_modules/"'
if [ "$nest_major" -ge 12 ]; then
  # Nest 12 and some of its dependencies are ESM-only: Jest's CommonJS runtime gets them compiled.
  ignore='"/node_modules/(?!(@nestjs|file-type|strtok3|token-types|uint8array-extras|@tokenizer|load-esm|uid)/)"'
fi
cat > "$project/jest.config.json" <<JSON
{
  "rootDir": "$project",
  "roots": ["<rootDir>/test"],
  "testEnvironment": "node",
  "testMatch": ["**/*.e2e-spec.ts"],
  "transform": { "^.+[.](ts|js|mjs)$": ["$root/node_modules/@swc/jest", $swc_options] },
  "transformIgnorePatterns": [$ignore],
  "moduleFileExtensions": ["ts", "js", "mjs", "json"],
  "cacheDirectory": "$project/.jest-cache"
}
JSON
started=$(date +%s%N)
"$root/node_modules/.bin/jest" --config "$project/jest.config.json" --ci >&2 || { echo "consumer e2e test failed (Nest $nest_major)" >&2; exit 1; }
echo "consumer e2e test passed on Nest $nest_major in $(( ($(date +%s%N) - started) / 1000000 )) ms (Jest included)" >&2
