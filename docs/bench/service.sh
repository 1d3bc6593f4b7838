#!/usr/bin/env bash
# Service benchmark: upload latency, analysis throughput, /v1/score latency, resident memory.
# Usage (from the repository root, after mvn -q -DskipTests package):  bash docs/bench/service.sh [N]
# Needs curl, jq and python3. Starts its own service on a free port with a temporary data folder.
set -euo pipefail
N=${1:-20}
source "$(dirname "$0")/serve-lib.sh"
start_service
patient_area BENCH-1
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# 1. Uploads: N photos of the demo series (1000x750 JPEG, ~60 KB), one session each; analyses queue up.
START=$(date +%s.%N)
: > "$DATA/upload.ms"; : > "$DATA/analyses"
for i in $(seq "$N"); do
  S=$(curl -s -H "$H" -H 'Content-Type: application/json' -d "{\"date\":\"2026-01-05\"}" $B/v1/patients/$P/sessions | jq -r .id)
  F=datasets/demo/session-$(( (i - 1) % 5 + 1 )).jpg
  curl -s -o "$DATA/up.json" -w '%{time_total}\n' -H "$H" -F photo=@$F -F areaId=$A $B/v1/sessions/$S/photos \
    | awk '{print $1*1000}' >> "$DATA/upload.ms"
  jq -r .analysis.id "$DATA/up.json" >> "$DATA/analyses"
done
# 2. Wait until every analysis has finished.
while true; do
  left=0
  while read -r id; do
    st=$(curl -s -H "$H" $B/v1/analyses/$id | jq -r .state)
    if [ "$st" = queued ] || [ "$st" = running ]; then left=$((left + 1)); fi
  done < "$DATA/analyses"
  [ $left -eq 0 ] && break
  sleep 0.5
done
END=$(date +%s.%N)
done_n=$(while read -r id; do curl -s -H "$H" $B/v1/analyses/$id | jq -r .state; done < "$DATA/analyses" | grep -c done || true)
# 3. Stateless scoring of one demo photo, 7 times.
: > "$DATA/score.ms"
for _ in $(seq 7); do
  curl -s -o /dev/null -w '%{time_total}\n' -H "$H" -F photo=@datasets/demo/session-1.jpg -F mmPerPx=0.025 $B/v1/score \
    | awk '{print $1*1000}' >> "$DATA/score.ms"
done
RSS=$(awk '/VmHWM/ {print $2/1024}' /proc/$PID/status)
# 4. The same photo scored by the command line, 7 times in one process (the service's overhead is the difference).
CLI=$(java -jar target/dermatrend.jar score --timings --mm-per-px 0.025 $(for _ in $(seq 7); do echo datasets/demo/session-1.jpg; done) 2>&1 >/dev/null \
  | sed -n 's/.*(total \([0-9]*\) ms).*/\1/p' | median)
echo "photos uploaded: $N ($done_n analyses done)"
echo "upload latency median: $(median < "$DATA/upload.ms") ms"
echo "first upload to last analysis done: $(python3 -c "print(round($END-$START,1))") s = $(python3 -c "print(round($N/($END-$START)*60,1))") analyses/min"
curl -s -H "$H" $B/metrics | awk -F'[{} ]' '/^dermatrend_analysis_duration_seconds_(sum|count)\{outcome="done"/ {v[$1]=$NF} END {printf "analysis wall time mean: %.0f ms\n", 1000*v["dermatrend_analysis_duration_seconds_sum"]/v["dermatrend_analysis_duration_seconds_count"]}'
echo "/v1/score median (7 calls): $(median < "$DATA/score.ms") ms; the command line's in-process scoring of the same photo: $CLI ms"
echo "peak resident memory of the service: ${RSS} MB"
