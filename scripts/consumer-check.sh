#!/usr/bin/env bash
# Compiles scripts/consumer-app/main.ts inside a project whose node_modules already hold the packed
# nestjs-vwo and its peers, type-checking it under each given TypeScript module resolution (the first one
# also emits CommonJS), then runs it with plain node. Prints the app's JSON report; exits non-zero on failure.
# Usage: scripts/consumer-check.sh <project-dir> [resolution...]   (resolutions: node10, node16; default node10)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
project="$(cd "${1:?usage: scripts/consumer-check.sh <project-dir> [resolution...]}" && pwd)"
shift
resolutions=("${@:-node10}")

mkdir -p "$project/src"
cp "$root/scripts/consumer-app/main.ts" "$project/src/main.ts"

# The first pass also checks the libraries' .d.ts files (ours included); later passes only the app.
write_tsconfig() { # <file> <resolution> <noEmit>
  local module=commonjs
  if [ "$2" = node16 ]; then module=node16; fi
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
    "types": ["node"]
  },
  "files": ["src/main.ts"]
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

cd "$project"
node dist/main.js
