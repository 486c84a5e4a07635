#!/usr/bin/env bash
# Replay throughput against the alternatives, in ONE run over the same files (docs/performance.md):
#   - the physical limit: raw gzip inflate (zcat > /dev/null, and the JDK's GZIPInputStream drained),
#   - the obvious alternative: zcat | jq selecting the relevant records (on one core, and free on both),
#   - ./statetrail replay --threads 1 pinned to one core, and --threads 2, each with -Xmx256m,
# checking that 1 and 2 threads give identical findings, and reading the peak heap from GC logs.
#
#   bench/replay-vs-jq.sh                      1M-record archive in bench-data/1000000 (generated if missing)
#   RECORDS=100000 ROUNDS=3 bench/replay-vs-jq.sh
#   DATA=/path/to/archive bench/replay-vs-jq.sh   (a folder with AWSLogs/, policy.yaml, manifest.properties)
#
# The machine is shared: commands run in interleaved rounds (every contender once per round), so that a burst of
# someone else's work hits all of them alike; medians over the rounds; ratios come from this one run.
# HYPERFINE=1 adds a hyperfine cross-check of the non-jq commands (hyperfine runs each command's runs back to back).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

RECORDS="${RECORDS:-1000000}"
DATA="${DATA:-$root/bench-data/$RECORDS}"
ROUNDS="${ROUNDS:-5}"
JQ_ROUNDS="${JQ_ROUNDS:-3}"
HEAP="${HEAP:-256m}"
OUT="${OUT:-$root/bench-data/results}"

for tool in jq zcat taskset java; do
  command -v "$tool" >/dev/null || { echo "replay-vs-jq: $tool is required" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "replay-vs-jq: GNU time (/usr/bin/time) is required: apt-get install -y time" >&2; exit 2; }

if [ ! -f "$DATA/manifest.properties" ]; then
  "$root/bench/generate.sh" "$RECORDS" "$DATA"
fi
jar="$root/functions/bench/target/benchmarks.jar"
if [ ! -f "$jar" ]; then
  (mvn -q -B -o -DskipTests -pl functions/bench -am package || mvn -q -B -DskipTests -pl functions/bench -am package) >&2
fi
./statetrail --version >/dev/null # builds the CLI if needed, outside the timings

policy="$DATA/policy.yaml"
logs="$DATA/AWSLogs"
records="$(sed -n 's/^records=//p' "$DATA/manifest.properties")"
json_bytes="$(sed -n 's/^jsonBytes=//p' "$DATA/manifest.properties")"
gz_bytes="$(sed -n 's/^gzipBytes=//p' "$DATA/manifest.properties")"
tmp="$(mktemp -d -t replay-vs-jq.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT
find "$logs" -name '*.json.gz' | sort > "$tmp/files"
# What ./statetrail runs, frozen for the whole comparison: the launcher rebuilds the CLI whenever a source under
# functions/ is newer than its jar, which on a shared work tree would land a build inside a timed run.
mkdir -p "$tmp/cli"
cp -r "$root/functions/cli/target/statetrail.jar" "$root/functions/cli/target/lib" "$tmp/cli/"
launcher_flags="$(sed -n 's/^ *jvm_defaults="\(..*\)"$/\1/p' "$root/statetrail")"
statetrail=(java $launcher_flags -Xmx$HEAP)
cli_jar="$tmp/cli/statetrail.jar"
files="$(wc -l < "$tmp/files")"

# The records statetrail follows, as a jq user would select them: role assumptions, state and lock objects, lock
# items in the lock table, trust-policy changes.
cat > "$tmp/filter.jq" <<'JQ'
.Records[]
| select(
    (.eventSource == "sts.amazonaws.com"
      and (.eventName == "AssumeRole" or .eventName == "AssumeRoleWithWebIdentity" or .eventName == "AssumeRoleWithSAML"))
    or (.eventSource == "s3.amazonaws.com"
      and (.eventName == "GetObject" or .eventName == "PutObject" or .eventName == "DeleteObject" or .eventName == "DeleteObjects"
           or .eventName == "CopyObject" or .eventName == "CompleteMultipartUpload")
      and ((.requestParameters.key // "" | tostring | (endswith(".tfstate") or endswith(".tflock")))
           or (.requestParameters.bucketName // "" | tostring | startswith("acme-tfstate-"))))
    or (.eventSource == "dynamodb.amazonaws.com" and (.eventName == "PutItem" or .eventName == "DeleteItem")
      and .requestParameters.tableName == "acme-tf-locks")
    or (.eventSource == "iam.amazonaws.com" and (.eventName == "CreateRole" or .eventName == "UpdateAssumeRolePolicy")))
JQ

echo "replay-vs-jq: statetrail runs as: ${statetrail[*]} -jar statetrail.jar replay …" >&2
echo "replay-vs-jq: $files files, $records records, $((json_bytes / 1000000)) MB of JSON ($((gz_bytes / 1000000)) MB gzipped), $(nproc) cores" >&2

# ---- correctness and heap: findings with 1 and 2 threads, GC logs ------------------------------------------------
taskset -c 0 "${statetrail[@]}" -Xlog:gc:file="$tmp/gc-1.log" -jar "$cli_jar" replay --policy "$policy" --threads 1 "$logs" \
  > "$tmp/findings-1.jsonl" 2> "$tmp/summary-1.txt"
"${statetrail[@]}" -Xlog:gc:file="$tmp/gc-2.log" -jar "$cli_jar" replay --policy "$policy" --threads 2 "$logs" \
  > "$tmp/findings-2.jsonl" 2> "$tmp/summary-2.txt"
if cmp -s "$tmp/findings-1.jsonl" "$tmp/findings-2.jsonl" && cmp -s "$tmp/summary-1.txt" "$tmp/summary-2.txt"; then
  identical="yes"
else
  identical="NO"
  diff "$tmp/summary-1.txt" "$tmp/summary-2.txt" >&2 || true
fi
findings="$(wc -l < "$tmp/findings-1.jsonl")"
finding_types="$(jq -r .type "$tmp/findings-1.jsonl" | sort | uniq -c | awk '{printf "%s%s x%s", sep, $2, $1; sep=", "}')"
jq_selected="$(xargs zcat < "$tmp/files" | jq -c -f "$tmp/filter.jq" | wc -l)"
# Peak heap: the largest heap occupancy seen before a collection ("Pause … 90M->22M(247M)").
peak() { grep -o '[0-9]*M->[0-9]*M([0-9]*M)' "$1" | sed 's/M->.*//' | sort -n | tail -1; }
after() { grep -o '[0-9]*M->[0-9]*M([0-9]*M)' "$1" | sed 's/.*M->//; s/M(.*//' | sort -n | tail -1; }
gcs() { grep -c 'Pause' "$1" || true; }
heap1="peak $(peak "$tmp/gc-1.log")M before GC, at most $(after "$tmp/gc-1.log")M live after GC, $(gcs "$tmp/gc-1.log") collections"
heap2="peak $(peak "$tmp/gc-2.log")M before GC, at most $(after "$tmp/gc-2.log")M live after GC, $(gcs "$tmp/gc-2.log") collections"

# ---- timings: interleaved rounds --------------------------------------------------------------------------------
names=(inflate-zcat inflate-java jq-1core jq-2cores statetrail-1 statetrail-2)
declare -A cmd
cmd[inflate-zcat]="taskset -c 0 sh -c 'xargs zcat < $tmp/files > /dev/null'"
cmd[inflate-java]="taskset -c 0 java -cp $jar io.statetrail.bench.InflateDrain $logs > /dev/null"
cmd[jq-1core]="taskset -c 0 sh -c 'xargs zcat < $tmp/files | jq -c -f $tmp/filter.jq > /dev/null'"
cmd[jq-2cores]="sh -c 'xargs zcat < $tmp/files | jq -c -f $tmp/filter.jq > /dev/null'"
cmd[statetrail-1]="taskset -c 0 ${statetrail[*]} -jar $cli_jar replay --policy $policy --threads 1 $logs > /dev/null 2>&1"
cmd[statetrail-2]="${statetrail[*]} -jar $cli_jar replay --policy $policy --threads 2 $logs > /dev/null 2>&1"
mkdir -p "$tmp/t"
xargs cat < "$tmp/files" > /dev/null # page cache: every contender reads from memory
for round in $(seq 1 "$ROUNDS"); do
  for name in "${names[@]}"; do
    if [[ "$name" == jq-* ]] && [ "$round" -gt "$JQ_ROUNDS" ]; then
      continue
    fi
    /usr/bin/time -f "%e %U %S" -o "$tmp/t/one" bash -c "${cmd[$name]}"
    cat "$tmp/t/one" >> "$tmp/t/$name"
    echo "  round $round $name: $(cat "$tmp/t/one") (wall user sys, s)" >&2
  done
done

median() { sort -n | awk '{v[NR]=$1} END {if (NR % 2) print v[(NR+1)/2]; else printf "%.2f\n", (v[NR/2]+v[NR/2+1])/2}'; }
declare -A wall cpu
for name in "${names[@]}"; do
  wall[$name]="$(awk '{print $1}' "$tmp/t/$name" | median)"
  cpu[$name]="$(awk '{printf "%.2f\n", $2+$3}' "$tmp/t/$name" | median)"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
# Paired: the ratio a/b within each round where both ran, then the median of those (column 1 wall, 2 user, 3 sys).
paired() {
  paste -d' ' <(head -n "$(wc -l < "$tmp/t/$2")" "$tmp/t/$1") <(head -n "$(wc -l < "$tmp/t/$1")" "$tmp/t/$2") \
    | awk -v cpu="${3:-0}" '{ if (cpu) printf "%.3f\n", ($2+$3)/($5+$6); else printf "%.3f\n", $1/$4 }' | median \
    | awk '{printf "%.2f", $1}'
}
rate() { awk -v n="$records" -v s="$1" 'BEGIN {printf "%.0f", n / s}'; }
mbs() { awk -v n="$json_bytes" -v s="$1" 'BEGIN {printf "%.0f", n / 1e6 / s}'; }

mkdir -p "$OUT"
report="$OUT/replay-vs-jq-$(date -u +%Y%m%dT%H%M%SZ).md"
{
  echo "### replay vs jq vs inflate, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "$files files, $records records, $((json_bytes / 1000000)) MB of JSON, $((gz_bytes / 1000000)) MB gzipped;" \
    "$(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p' | head -1)), load average at the end $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "Medians of $ROUNDS interleaved rounds ($JQ_ROUNDS for jq); wall clock of the whole command (JVM start included)."
  echo "statetrail ran as \`java $launcher_flags -Xmx$HEAP -jar statetrail.jar replay\` (the launcher's flags for replay)."
  echo
  echo "| command | wall (s) | CPU user+sys (s) | records/s | MB/s of JSON |"
  echo "|---|---:|---:|---:|---:|"
  for name in "${names[@]}"; do
    echo "| \`$name\` | ${wall[$name]} | ${cpu[$name]} | $(rate "${wall[$name]}") | $(mbs "${wall[$name]}") |"
  done
  echo
  echo "| ratio (paired within each round, median over rounds) | wall | CPU time | goal |"
  echo "|---|---:|---:|---:|"
  echo "| statetrail 1 thread vs jq, both on one core | $(paired jq-1core statetrail-1)x | $(paired jq-1core statetrail-1 1)x | >= 5x |"
  echo "| statetrail 1 thread (one core) vs jq free on both cores | $(paired jq-2cores statetrail-1)x | | |"
  echo "| statetrail 2 threads vs jq, both free on both cores | $(paired jq-2cores statetrail-2)x | | >= 10x |"
  echo "| statetrail 1 thread vs Java inflate (GZIPInputStream drain), one core | $(paired inflate-java statetrail-1) | $(paired inflate-java statetrail-1 1) | >= 0.70 |"
  echo "| statetrail 1 thread vs zcat inflate, one core | $(paired inflate-zcat statetrail-1) | $(paired inflate-zcat statetrail-1 1) | >= 0.70 |"
  echo "| statetrail 2 threads vs Java inflate on one core | $(paired inflate-java statetrail-2) | | |"
  echo
  echo "Records per second of CPU time (one core busy): statetrail 1 thread $(rate "${cpu[statetrail-1]}")," \
    "Java inflate alone $(rate "${cpu[inflate-java]}"), zcat $(rate "${cpu[inflate-zcat]}"), zcat | jq $(rate "${cpu[jq-1core]}")."
  echo
  echo "- findings identical with 1 and 2 threads: **$identical** ($findings findings: $finding_types)"
  echo "- statetrail: $(sed -n 's/^statetrail: //p' "$tmp/summary-1.txt"); the jq filter selects $jq_selected records"
  echo "- heap with -Xmx$HEAP, 1 thread: $heap1"
  echo "- heap with -Xmx$HEAP, 2 threads: $heap2"
} | tee "$report"
echo "replay-vs-jq: report written to $report" >&2

if [ "${HYPERFINE:-0}" = "1" ] && command -v hyperfine >/dev/null; then
  hyperfine --runs "$ROUNDS" --warmup 1 \
    -n inflate-zcat "${cmd[inflate-zcat]}" -n inflate-java "${cmd[inflate-java]}" \
    -n statetrail-1 "${cmd[statetrail-1]}" -n statetrail-2 "${cmd[statetrail-2]}" | tee -a "$report"
fi
[ "$identical" = "yes" ]
