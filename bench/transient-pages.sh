#!/usr/bin/env bash
# Pages on the way (docs/performance.md, "Pages on the way"): every bundled scenario delivered in eight orders, one
# ingest invocation per SQS batch at its arrival time, the sweeper every 5 minutes while pages may come due, alerts
# dispatched after each; then what was paged is compared with the findings that hold once every record is in.
#
#   bench/transient-pages.sh [WINDOW…]        the ingest and sweeper code against DynamoDB Local, in one process, once per
#                                            settle window (default PT0S PT5M PT10M PT15M; PT0S pages at once, as before
#                                            the settle window)
#   bench/transient-pages.sh --cli [--ref REV] [--only SCENARIO,…]
#                                            the same plans through ./statetrail ingest/sweep/findings, one process per
#                                            step (slow: each start loads DynamoDB Local); --ref measures another
#                                            revision's CLI, built in a temporary worktree
#
# Orders: in time order; data events first; newest first; random in batches of 1 and of 10; a third redelivered;
# management and data streams each 2-15 min late; each service late by its own 2-15 min (functions/bench DeliveryPlans).
# Counted for the ingestor's finding types (the sweeper's stale-lock and unattributed-session are judged by time):
# pages, transient pages (for a finding that does not hold at the end), findings never paged or paged twice,
# follow-ups, and time to page (page time minus the latest evidence's event time, in arrival time, not wall time).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mode=java
ref=""
only=""
windows=()
out="${OUT:-$root/bench-data/pages}"
while [ $# -gt 0 ]; do
  case "$1" in
    --cli) mode=cli; shift ;;
    --ref) ref="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    P*) windows+=("$1"); shift ;;
    *) echo "usage: bench/transient-pages.sh [WINDOW…] | --cli [--ref REV] [--only SCENARIO,…]" >&2; exit 2 ;;
  esac
done
for tool in java mvn; do
  command -v "$tool" >/dev/null || { echo "transient-pages: $tool is required" >&2; exit 2; }
done

# The bench classes and their class path (DynamoDB Local included), and the same delivery plans for every run.
cp_file="$root/functions/bench/target/pages.classpath"
(mvn -q -B -o -DskipTests -pl functions/bench -am package dependency:build-classpath -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=compile \
  || mvn -q -B -DskipTests -pl functions/bench -am package dependency:build-classpath -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=compile) >&2
cp="$root/functions/bench/target/classes:$(cat "$cp_file")"
plans="$out/plans"
rm -rf "$plans"
java -cp "$cp" io.statetrail.bench.DeliveryPlans "$root/events" "$plans"

if [ "$mode" = java ]; then
  exec java -cp "$cp" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn io.statetrail.bench.PagesOnTheWay "$plans" "$root/events/policy.yaml" "${windows[@]}"
fi

# ---- --cli: the same plans through the command line ----
command -v jq >/dev/null || { echo "transient-pages: jq is required for --cli" >&2; exit 2; }
cli="$root/statetrail"
label="$(git -C "$root" rev-parse --short HEAD)"
if [ -n "$ref" ]; then
  wt="$(mktemp -d -t statetrail-ref.XXXXXX)"
  git -C "$root" worktree add --detach "$wt" "$ref" >/dev/null
  trap 'git -C "$root" worktree remove --force "$wt" >/dev/null 2>&1 || true' EXIT
  cli="$wt/statetrail"
  label="$(git -C "$root" rev-parse --short "$ref")"
fi
"$cli" --help >/dev/null 2>&1 || true # builds that CLI outside the runs
timed=0
if "$cli" ingest --help 2>&1 | grep -q -- '--now'; then
  timed=1 # else: it pages on the wall clock, at once; its sweep sends nothing
fi
results="$out/cli-$label"
rm -rf "$results"
policy="$root/events/policy.yaml"
for plan in "$plans"/*/*/plan.tsv; do
  dir="$(dirname "$plan")"
  scenario="$(basename "$(dirname "$dir")")"
  if [ -n "$only" ] && [[ ",$only," != *",$scenario,"* ]]; then
    continue
  fi
  run="$results/$scenario/$(basename "$dir")"
  mkdir -p "$run"
  : > "$run/sent.jsonl"
  data="$(mktemp -d -t statetrail-pages.XXXXXX)"
  seen=0
  while IFS=$'\t' read -r kind at file; do
    if [ "$kind" = ingest ]; then
      now=(); [ "$timed" = 1 ] && now=(--now "$at")
      "$cli" ingest --data-dir "$data" --policy "$policy" "${now[@]}" "$dir/$file" >/dev/null 2>>"$run/stderr.log"
    elif [ "$timed" = 1 ]; then
      "$cli" sweep --data-dir "$data" --policy "$policy" --now "$at" >/dev/null 2>>"$run/stderr.log"
    else
      continue
    fi
    if [ -f "$data/alerts.jsonl" ]; then # what this step sent, stamped with its arrival time
      total="$(wc -l < "$data/alerts.jsonl")"
      if [ "$total" -gt "$seen" ]; then
        tail -n +"$((seen + 1))" "$data/alerts.jsonl" | jq -c --arg at "$at" '. + {sentAt: $at}' >> "$run/sent.jsonl"
        seen="$total"
      fi
    fi
  done < "$plan"
  "$cli" findings --data-dir "$data" --format jsonl > "$run/final.jsonl" 2>>"$run/stderr.log"
  rm -rf "$data"
done
types='["unexpected-subject","web-identity-denied","state-write-unexpected-subject","state-read-unexpected-subject","non-federated-state-write","unlocked-state-write","force-unlock","state-deleted","trust-policy-weakened"]'
for run in "$results"/*/*; do
  jq -n -c --argjson types "$types" --arg run "${run#$results/}" --slurpfile sent "$run/sent.jsonl" --slurpfile final "$run/final.jsonl" '
    ($final | map(select(.type as $t | $types | index($t))) | map({key: .id, value: .}) | from_entries) as $f
    | ($sent | map(select(.finding.type as $t | $types | index($t)) | select((.notice // null) == null))) as $pages
    | {run: $run, pages: ($pages | length), transient: ($pages | map(select($f[.finding.id] == null)) | length), finals: ($f | length)}'
done > "$results/runs.jsonl"
jq -s -r --arg label "$label" '"revision \($label) through the CLI: \(length) deliveries, \(map(.pages) | add) pages, \(map(.transient) | add) transient, \(map(.finals) | add) findings hold at the end",
  (.[] | select(.transient > 0) | "  transient in \(.run): \(.transient)")' "$results/runs.jsonl" | tee "$results/summary.txt"
