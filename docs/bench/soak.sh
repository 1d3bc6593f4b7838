#!/usr/bin/env bash
# Native-memory soak: RSS of the service over N analyses of the demo photos (each: decode two photos,
# align, score both with the relief network). Leaked Mats or NDArrays would make RSS climb with N.
# Usage (repository root, after mvn -q -DskipTests package):  bash docs/bench/soak.sh [N]   (needs curl, jq)
set -euo pipefail
N=${1:-2000}
export ONEDNN_MAX_CPU_ISA=AVX2
DATA=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
KEY=bench-admin-key-0123456789abcdefghijkl
DERMATREND_ADMIN_KEY=$KEY java -jar target/dermatrend.jar serve --port "$PORT" --data-dir "$DATA" --max-queued 100000 > "$DATA/serve.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DATA"' EXIT
B=http://127.0.0.1:$PORT; H="Authorization: Bearer $KEY"
for _ in $(seq 60); do curl -sf $B/health/ready >/dev/null && break; sleep 0.5; done
P=$(curl -s -H "$H" -H 'Content-Type: application/json' -d '{"reference":"SOAK-1"}' $B/v1/patients | jq -r .id)
A=$(curl -s -H "$H" -H 'Content-Type: application/json' -d '{"name":"left-cheek","mmPerPx":0.025}' $B/v1/patients/$P/areas | jq -r .id)
S=$(curl -s -H "$H" -H 'Content-Type: application/json' -d '{"date":"2026-01-05"}' $B/v1/patients/$P/sessions | jq -r .id)
# Finished analyses (done or failed) in the shared queue.
done_count() { curl -s $B/metrics | awk '/^dermatrend_analysis_queue\{state="(done|failed)"\}/ {n += $2} END {print int(n)}'; }
rss() { awk '/VmRSS/ {printf "%.0f", $2/1024}' /proc/$PID/status; }
t0=$(date +%s)
for i in $(seq "$N"); do
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
echo "final: $(done_count) done, RSS $(rss) MB, peak $(awk '/VmHWM/ {printf "%.0f", $2/1024}' /proc/$PID/status) MB"
