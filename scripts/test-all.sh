#!/usr/bin/env bash
# Everything `make test` runs after the set-up, stage by stage, each timed (`make test-dates` runs
# one stage: `scripts/test-all.sh dates`). Stops at the first stage that fails and says which.
# Single-process steps (the demo, the browser journeys, lint, types) run two at a time; the unit
# suite spreads over the cores itself.
#
#   checks    ruff and mypy
#   sqlite    today: the unit suite on SQLite (recording which tests read today), the demo
#             district, the browser journeys
#   postgres  on the first of PINNED_DATES: the unit suite and the demo on a throwaway PostgreSQL
#             cluster, beside the browser journeys
#   dates     on each other day of PINNED_DATES: the tests that read today, the demo, the journeys
set -euo pipefail
cd "$(dirname "$0")/.."
MAKE="${MAKE:-make} --no-print-directory"
PINNED_DATES="${PINNED_DATES:?PINNED_DATES is set by the Makefile}"

stages="${*:-checks sqlite postgres dates}"

started=$(date +%s)
stage() {
  local name="$1"; shift
  local began; began=$(date +%s)
  echo "== $name"
  if "$@"; then
    echo "== $name: passed in $(( $(date +%s) - began )) s"
  else
    echo "== FAILED: $name (after $(( $(date +%s) - began )) s)"
    exit 1
  fi
}
# Make targets side by side, each one's output printed together when it ends (-O).
together() { $MAKE -j3 -O "$@"; }
# The first pinned day is PostgreSQL's; the rest are SQLite's.
pg_day="${PINNED_DATES%% *}"
sqlite_days="${PINNED_DATES#* }"
on_day() { local day="$1"; shift; LANTOA_TEST_TODAY="$day" "$@"; }

for name in $stages; do
  case "$name" in
    checks)
      stage "lint and types" together lint typecheck ;;
    sqlite)
      stage "SQLite today: unit suite" $MAKE test-unit-record
      stage "SQLite today: demo and browser journeys" together test-demo test-e2e ;;
    postgres)
      stage "PostgreSQL on $pg_day: unit suite and demo; browser journeys" \
        on_day "$pg_day" together test-pg test-e2e ;;
    dates)
      # Without the list of a SQLite run (make test-unit-record), every test runs on each day.
      for day in $sqlite_days; do
        stage "SQLite on $day: tests that read today, demo, browser journeys" \
          on_day "$day" together test-unit-dated test-demo test-e2e
      done ;;
    *)
      echo "unknown stage $name (checks, sqlite, postgres, dates)" >&2; exit 2 ;;
  esac
done
echo "All checks passed in $(( $(date +%s) - started )) s."
