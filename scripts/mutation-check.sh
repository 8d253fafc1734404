#!/usr/bin/env bash
# Mutation check of lib/engine and lib/events (StrykerJS, config in stryker.config.json), within a time budget.
# Not part of CI: run it before and after changing the engine or the event pipeline, and compare the scores.
#   MUTATION_BUDGET_MINUTES  stop after this long (default 60); a stopped run reports nothing, so narrow it:
#   MUTATE                   comma-separated globs to mutate instead of the whole of lib/engine and lib/events,
#                            e.g. MUTATE='lib/engine/decision/*.ts' or MUTATE='lib/events/**/*.ts'
# Reruns are incremental (reports/mutation/incremental.json): only mutants in changed code or tests run again.
set -euo pipefail
cd "$(dirname "$0")/.."

budget="${MUTATION_BUDGET_MINUTES:-60}"
args=(run)
if [[ -n "${MUTATE:-}" ]]; then
  args+=(--mutate "$MUTATE")
fi

started=$(date +%s)
set +e
timeout --signal=INT --kill-after=30s "${budget}m" npx stryker "${args[@]}"
status=$?
set -e
minutes=$(( ($(date +%s) - started) / 60 ))

if [[ $status -eq 124 ]]; then
  echo "Mutation check stopped: over its ${budget}-minute budget. Raise MUTATION_BUDGET_MINUTES or narrow MUTATE." >&2
  exit 2
fi
if [[ $status -eq 130 ]]; then
  echo "Mutation check interrupted after ${minutes} min." >&2
  exit 130
fi
if [[ $status -ne 0 ]]; then
  exit "$status"
fi

# The score per area, from Stryker's JSON report: killed + timed out over all mutants that ran (no-coverage ones count as survived).
node -e '
const report = require("./reports/mutation/mutation.json");
const areas = {};
for (const [file, { mutants }] of Object.entries(report.files)) {
  const area = file.split("/").slice(0, 2).join("/");
  const a = (areas[area] ??= { killed: 0, survived: 0, other: 0 });
  for (const m of mutants) {
    if (m.status === "Killed" || m.status === "Timeout") a.killed++;
    else if (m.status === "Survived" || m.status === "NoCoverage") a.survived++;
    else a.other++;
  }
}
for (const [area, a] of Object.entries(areas)) {
  const score = (100 * a.killed) / (a.killed + a.survived);
  console.log(`${area}: mutation score ${score.toFixed(1)}% (${a.killed} killed, ${a.survived} survived; ${a.other} not counted: compile errors, ignored)`);
}
'
echo "Took ${minutes} min (budget ${budget} min)."
