#!/usr/bin/env bash
# Native-memory soak: RSS of the service over N analyses of the demo photos (each: decode two photos,
# align, score both with the relief network). Leaked Mats or NDArrays would make RSS climb with N.
# Usage (repository root, after mvn -q -DskipTests package):  bash docs/bench/soak.sh [N]   (needs curl, jq)
set -euo pipefail
N=${1:-2000}
source "$(dirname "$0")/serve-lib.sh"
start_service --max-queued 100000 --rate-per-key 1000000 --rate-per-address 1000000
patient_area SOAK-1
# Finished analyses (done or failed) in the shared queue.
done_count() { curl -s -H "$H" $B/metrics | awk '/^dermatrend_analysis_queue\{state="(done|failed)"\}/ {n += $2} END {print int(n)}'; }
t0=$(date +%s)
for i in $(seq "$N"); do
  # A session per photo (a session holds one photo of an area), a day apart.
  S=$(curl -s -H "$H" -H 'Content-Type: application/json' -d "{\"date\":\"$(date -d "2020-01-01 + $i days" +%F)\"}" \
    $B/v1/patients/$P/sessions | jq -r .id)
  curl -s -o /dev/null -H "$H" -F photo=@datasets/demo/session-$(( (i - 1) % 5 + 1 )).jpg -F areaId=$A $B/v1/sessions/$S/photos
done
echo "analyses done | RSS MB | minutes"
next=100
while true; do
  d=$(done_count); [ -z "$d" ] && d=0
  if [ "$d" -ge "$next" ]; then echo "$d | $(rss) | $(( ($(date +%s) - t0) / 60 ))"; next=$(( next < 500 ? 500 : next + 500 )); fi
  [ "$d" -ge "$N" ] && break
  sleep 5
done
echo "final: $(done_count) done, RSS $(rss) MB, peak $(peak_rss) MB"
