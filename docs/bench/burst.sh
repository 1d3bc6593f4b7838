#!/usr/bin/env bash
# A burst of 16 concurrent 12-megapixel stored uploads (issue 21, item 2): how many are accepted, whether every one
# is analysed, how long the queue takes to drain, and the service's peak resident memory (VmHWM).
# Usage (repository root, after mvn -q -DskipTests package):  bash docs/bench/burst.sh [CLIENTS] [SERVE OPTIONS...]
# JAR=path/to/other/dermatrend.jar runs another build (before/after comparisons in one sitting).
# Needs curl, jq, python3. Starts its own service (embedded database, 2 workers) on a free port; makes a 12 MP
# five-session phantom series once (in /tmp/dermatrend-burst, about 40 s).
set -euo pipefail
N=${1:-16}; shift || true
source "$(dirname "$0")/serve-lib.sh"
SERIES=/tmp/dermatrend-burst
if [ ! -f "$SERIES/manifest.json" ]; then
  java -jar "${JAR:-target/dermatrend.jar}" synth --out "$SERIES" --width 4000 --height 3000 --mm-per-px 0.01 --gray-card \
    --series 5 --effect 0 --seed 501 --noise 0.02 --jpeg-quality 95 >/dev/null
fi
gray() { jq -r --arg p "$1" '.sessions[] | select(.photo == $p) | .grayRef | map(tostring) | join(",")' "$SERIES/manifest.json"; }
start_service --workers 2 "$@"
P=$(curl -s -H "$H" -H 'Content-Type: application/json' -d '{"reference":"BURST-1"}' "$B/v1/patients" | jq -r .id)
A=$(curl -s -H "$H" -H 'Content-Type: application/json' -d '{"name":"left-cheek","mmPerPx":0.01}' "$B/v1/patients/$P/areas" | jq -r .id)
session() { curl -s -H "$H" -H 'Content-Type: application/json' -d "{\"date\":\"$1\"}" "$B/v1/patients/$P/sessions" | jq -r .id; }
S0=$(session 2026-01-05)
curl -s -o /dev/null -H "$H" -F photo=@"$SERIES/session-1.jpg" -F areaId="$A" -F grayRef="$(gray session-1.jpg)" "$B/v1/sessions/$S0/photos"
for i in $(seq "$N"); do
  k=$(( i % 4 + 2 ))
  echo "$(session "$(date -d "2026-02-01 + $i days" +%F)") session-$k.jpg $(gray session-$k.jpg)"
done > "$DATA/plan"
echo "photo sizes: $(ls -l "$SERIES"/session-*.jpg | awk '{printf "%.1f MB ", $5/1e6}')"
echo "peak RSS before the burst: $(peak_rss) MB"
t0=$(date +%s.%N)
( while kill -0 $PID 2>/dev/null; do rss >> "$DATA/rss.trace"; echo >> "$DATA/rss.trace"; sleep 0.2; done ) &
SAMPLER=$!
xargs -P "$N" -L 1 sh -c "curl -s -o $DATA/up-\$0.json -w '%{http_code} %{time_total}\n' -H '$H' -F photo=@$SERIES/\$1 \
  -F areaId=$A -F grayRef=\$2 $B/v1/sessions/\$0/photos" < "$DATA/plan" > "$DATA/codes"
echo "answers: $(awk '{print $1}' "$DATA/codes" | sort | uniq -c | tr '\n' ' ')  upload seconds: $(awk '{print $2}' "$DATA/codes" | sort -n | tr '\n' ' ')"
cat "$DATA"/up-*.json | jq -r '.analysis.id // empty' > "$DATA/ids"
while true; do
  states=$(while read -r id; do curl -s -H "$H" "$B/v1/analyses/$id" | jq -r .state; done < "$DATA/ids" | sort | uniq -c | tr '\n' ' ')
  case "$states" in *queued*|*running*) sleep 2 ;; *) break ;; esac
done
kill $SAMPLER 2>/dev/null || true
echo "analyses: $states in $(python3 -c "import time; print(round(time.time()-$t0,1))") s from the first upload"
echo "peak RSS after the burst: $(peak_rss) MB (sampled RSS max $(sort -n "$DATA/rss.trace" | tail -1) MB)"
