#!/usr/bin/env bash
# Pages on the way (docs/performance.md, "Pages on the way"): every bundled scenario delivered in eight orders through
# ./statetrail ingest, one invocation per SQS batch at its arrival time, as the deployed function sees it; the sweeper
# run every 5 minutes while pages may come due; then what was paged is compared with the findings that hold once every
# record is in.
#
#   bench/transient-pages.sh                 this checkout
#   bench/transient-pages.sh --ref faa622d   another revision's CLI (built in a temporary worktree), same delivery plans
#
# Reports, for the ingestor's finding types (the sweeper's stale-lock and unattributed-session are judged by time):
#   pages            pages sent
#   transient        pages for a finding that does not hold at the end
#   finals           findings that hold at the end; never paged / paged more than once
#   follow-ups       withdrawn and updated notices sent
#   time to page     for pages of findings that hold: when the page went out minus the latest evidence's event time
#                    (median, max), as scheduled by arrival times, not wall-clock time
# A revision whose ingest has no --now pages on the wall clock: its pages are timed by the batch that sent them.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ref=""
out="$root/bench-data/pages"
while [ $# -gt 0 ]; do
  case "$1" in
    --ref) ref="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) echo "usage: bench/transient-pages.sh [--ref REV] [--out DIR]" >&2; exit 2 ;;
  esac
done
for tool in jq java mvn git; do
  command -v "$tool" >/dev/null || { echo "transient-pages: $tool is required" >&2; exit 2; }
done

# The same delivery plans for every revision, written by this checkout's generator.
jar="$root/functions/bench/target/benchmarks.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$root/functions/bench/src" "$root/functions/service/src/main" "$root/functions/core/src/main" -newer "$jar" -type f -print -quit)" ]; then
  (cd "$root" && { mvn -q -B -o -DskipTests -pl functions/bench -am package || mvn -q -B -DskipTests -pl functions/bench -am package; }) >&2
fi
plans="$out/plans"
rm -rf "$plans"
java -cp "$jar" io.statetrail.bench.DeliveryPlans "$root/events" "$plans"

cli="$root/statetrail"
label="$(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- functions || echo '+changes')"
if [ -n "$ref" ]; then
  wt="$(mktemp -d -t statetrail-ref.XXXXXX)"
  git -C "$root" worktree add --detach "$wt" "$ref" >/dev/null
  trap 'git -C "$root" worktree remove --force "$wt" >/dev/null 2>&1 || true' EXIT
  cli="$wt/statetrail"
  label="$(git -C "$root" rev-parse --short "$ref")"
fi
"$cli" --version >/dev/null 2>&1 || true # builds the CLI outside the runs
timed=0
if "$cli" ingest --help 2>&1 | grep -q -- '--now'; then
  timed=1
fi

results="$out/$label"
rm -rf "$results"
mkdir -p "$results"
policy="$root/events/policy.yaml"
for plan in "$plans"/*/*/plan.tsv; do
  dir="$(dirname "$plan")"
  name="$(basename "$(dirname "$dir")")/$(basename "$dir")"
  data="$(mktemp -d -t statetrail-pages.XXXXXX)"
  run="$results/$name"
  mkdir -p "$run"
  : > "$run/sent.jsonl"
  seen=0
  while IFS=$'\t' read -r kind at file; do
    if [ "$kind" = ingest ]; then
      if [ "$timed" = 1 ]; then
        "$cli" ingest --data-dir "$data" --policy "$policy" --now "$at" "$dir/$file" >/dev/null 2>>"$run/stderr.log"
      else
        "$cli" ingest --data-dir "$data" --policy "$policy" "$dir/$file" >/dev/null 2>>"$run/stderr.log"
      fi
    elif [ "$timed" = 1 ]; then
      "$cli" sweep --data-dir "$data" --policy "$policy" --now "$at" >/dev/null 2>>"$run/stderr.log"
    else
      continue
    fi
    # What this invocation sent: the alert file's new lines, stamped with the invocation's arrival time.
    if [ -f "$data/alerts.jsonl" ]; then
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

# One summary over every plan: jq reads each run's pages and finals.
ingested='["unexpected-subject","web-identity-denied","state-write-unexpected-subject","state-read-unexpected-subject","non-federated-state-write","unlocked-state-write","force-unlock","state-deleted","trust-policy-weakened"]'
for run in "$results"/*/*; do
  jq -n -c --argjson types "$ingested" --arg run "${run#$results/}" \
    --slurpfile sent "$run/sent.jsonl" --slurpfile final "$run/final.jsonl" '
    def secs(t): t | sub("\\.[0-9]+Z$"; "Z") | fromdateiso8601;
    ($final | map(select(.type as $t | $types | index($t))) | map({key: .id, value: .}) | from_entries) as $f
    | ($sent | map(select(.finding.type as $t | $types | index($t)))) as $s
    | ($s | map(select((.notice // null) == null))) as $pages
    | {run: $run,
       pages: ($pages | length),
       transient: ($pages | map(select($f[.finding.id] == null)) | length),
       finals: ($f | length),
       neverPaged: ($f | keys | map(select(. as $id | $pages | map(.finding.id) | index($id) | not)) | length),
       pagedTwice: ($f | keys | map(select(. as $id | ($pages | map(select(.finding.id == $id)) | length) > 1)) | length),
       followUps: ($s | map(select(.notice != null and (.notice.kind == "withdrawn" or .notice.kind == "updated"))) | length),
       delays: ($pages | map(select($f[.finding.id] != null)) | map(secs(.sentAt) - secs(.finding.lastSeen // .finding.time)))}'
done > "$results/runs.jsonl"

jq -s -r --arg label "$label" '
  def median: sort | if length == 0 then null else .[(length / 2 | floor)] end;
  (map(.delays) | add) as $d
  | "revision \($label): \(length) deliveries (\(map(.run | split("/")[0]) | unique | length) scenarios x \(map(.run | split("/")[1]) | unique | length) orders)",
    "pages \(map(.pages) | add), transient \(map(.transient) | add) (\(if (map(.pages) | add) > 0 then (100 * (map(.transient) | add) / (map(.pages) | add) | floor) else 0 end)%), deliveries with a transient page \(map(select(.transient > 0)) | length)",
    "findings that hold \(map(.finals) | add): never paged \(map(.neverPaged) | add), paged more than once \(map(.pagedTwice) | add); follow-ups sent \(map(.followUps) | add)",
    "time to page after the latest evidence: median \($d | median) s, max \($d | max) s",
    "by order:",
    (group_by(.run | split("/")[1])[] | "  \(.[0].run | split("/")[1]): pages \(map(.pages) | add), transient \(map(.transient) | add)")
' "$results/runs.jsonl" | tee "$results/summary.txt"
