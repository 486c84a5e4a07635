#!/usr/bin/env bash
# Writes a generated CloudTrail archive for benchmarks (docs/performance.md):
#   bench/generate.sh [RECORDS] [OUT]      default 1000000 records into bench-data/<RECORDS> (git-ignored)
# Gzipped log files in S3 layout (AWSLogs/<acct>/CloudTrail/<region>/YYYY/MM/DD/…json.gz), 99% everyday noise,
# 1% OIDC logins, role hops, state reads/writes and locks with a few planted anomalies; OUT/policy.yaml is the
# matching policy, OUT/manifest.properties the counts. Same SEED (default 42), same bytes.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
records="${1:-1000000}"
out="${2:-$root/bench-data/$records}"
jar="$root/functions/bench/target/benchmarks.jar"

if [ ! -f "$jar" ] || [ -n "$(find "$root/functions/bench/src" "$root/functions/core/src/main" -newer "$jar" -type f -print -quit)" ]; then
  echo "generate: building functions/bench…" >&2
  (cd "$root" && { mvn -q -B -o -DskipTests -pl functions/bench -am package || mvn -q -B -DskipTests -pl functions/bench -am package; }) >&2
fi
exec java -cp "$jar" io.statetrail.bench.GenerateArchive --records "$records" --out "$out" --seed "${SEED:-42}"
