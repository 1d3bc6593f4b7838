#!/usr/bin/env bash
# Service under load: throughput with 8 and 16 concurrent uploading clients against the command line's
# batch on the same pairs, upload latency percentiles, trend-query latency for an area with 20+
# sessions, peak RSS with 16 concurrent 12-megapixel uploads, RSS growth over many analyses.
# Usage (repository root, after mvn -q -DskipTests package):  bash docs/bench/service-load.sh [EXTRA_ANALYSES]
# Needs curl, jq, python3. Starts its own service (embedded database, 2 workers, queue 2000) on a free port.
set -euo pipefail
EXTRA=${1:-200}
source "$(dirname "$0")/serve-lib.sh"
start_service --max-queued 2000 --max-upload-mb 40
pct() { python3 -c "
import sys; v=sorted(float(x) for x in open('$1') if x.strip()); n=len(v)
q=lambda p: v[min(n-1,int(round(p*(n-1))))]
print(f'p50 {q(.5):.0f} ms, p95 {q(.95):.0f} ms, p99 {q(.99):.0f} ms (n={n})')"; }
patient_area LOAD-1
session() { curl -s -H "$H" -H 'Content-Type: application/json' -d "{\"date\":\"$1\"}" $B/v1/patients/$P/sessions | jq -r .id; }
S0=$(session 2026-01-05)
curl -s -o /dev/null -H "$H" -F photo=@datasets/demo/session-1.jpg -F areaId=$A $B/v1/sessions/$S0/photos
upload_batch() { # $1 clients, $2 photos; prints seconds until every analysis is done
  local clients=$1 n=$2 t0 ids
  : > "$DATA/ids"
  t0=$(date +%s.%N)
  seq "$n" | xargs -P "$clients" -I{} sh -c "S=\$(curl -s -H '$H' -H 'Content-Type: application/json' -d '{\"date\":\"2026-02-0'\$(( {} % 9 + 1 ))'\"}' $B/v1/patients/$P/sessions | jq -r .id);
    curl -s -o $DATA/up-{}.json -w '%{time_total}\n' -H '$H' -F photo=@datasets/demo/session-\$(( {} % 4 + 2 )).jpg -F areaId=$A $B/v1/sessions/\$S/photos \
      | awk '{print \$1*1000}' >> $DATA/upload-$clients.ms; jq -r .analysis.id $DATA/up-{}.json >> $DATA/ids"
  while true; do
    left=0
    while read -r id; do st=$(curl -s -H "$H" $B/v1/analyses/$id | jq -r .state); [ "$st" = queued ] || [ "$st" = running ] && left=$((left+1)); done < "$DATA/ids"
    [ $left -eq 0 ] && break; sleep 1
  done
  python3 -c "import time; print(round(time.time()-$t0,1))"
}
# 1. The command line's batch on the same pairs (baseline vs follow-ups), in one process.
echo before,after > "$DATA/pairs.csv"
for i in $(seq 40); do echo "$PWD/datasets/demo/session-1.jpg,$PWD/datasets/demo/session-$(( i % 4 + 2 )).jpg" >> "$DATA/pairs.csv"; done
t0=$(date +%s.%N); java -jar target/dermatrend.jar compare --pairs "$DATA/pairs.csv" --json --mm-per-px 0.025 > /dev/null || true
cli=$(python3 -c "import time; print(round(time.time()-$t0,1))")
echo "CLI batch, 40 pairs in one process: ${cli} s = $(python3 -c "print(round(40/$cli*60,1))") pairs/min"
# 2. The service with 8 and 16 clients.
for c in 8 16; do
  s=$(upload_batch $c 40)
  echo "service, $c clients, 40 uploads: ${s} s until all analysed = $(python3 -c "print(round(40/$s*60,1))") analyses/min; upload latency $(pct $DATA/upload-$c.ms)"
done
# 3. Trend of an area with $(jq length) sessions.
n=$(curl -s -H "$H" $B/v1/areas/$A/trend | jq '.sessions | length')
: > "$DATA/trend.ms"
for _ in $(seq 50); do curl -s -o /dev/null -w '%{time_total}\n' -H "$H" $B/v1/areas/$A/trend | awk '{print $1*1000}' >> "$DATA/trend.ms"; done
echo "trend query, area with $n sessions: $(pct $DATA/trend.ms)"
# 4. RSS over many analyses.
r1=$(rss)
s=$(upload_batch 4 "$EXTRA")
r2=$(rss)
echo "RSS after the first 81 analyses: ${r1} MB; after $EXTRA more (${s} s): ${r2} MB"
# 5. Peak RSS with 16 concurrent 12-megapixel uploads (stateless /v1/score).
if [ ! -f "$DATA/big/phantom-1.jpg" ]; then
  java -jar target/dermatrend.jar synth --out "$DATA/big" --width 4000 --height 3000 --mm-per-px 0.01 --jpeg-quality 95 >/dev/null 2>&1
fi
before=$(peak_rss)
seq 16 | xargs -P 16 -I{} curl -s -o /dev/null -w '%{http_code}\n' -H "$H" -F photo=@$DATA/big/phantom-1.jpg -F mmPerPx=0.01 $B/v1/score \
  | sort | uniq -c | tr '\n' ' '
echo
echo "peak RSS before the 12 MP burst ${before} MB, after: $(peak_rss) MB"
