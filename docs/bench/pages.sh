#!/usr/bin/env bash
# Server time of the web app's pages on the demo data: starts `serve --demo`, signs in as the demo admin, asks each
# page 60 times (after 5 unmeasured), and reads the server's own request log (the "ms" of each request event) for the
# median and the 95th percentile per route. Usage: bash docs/bench/pages.sh  (after mvn -q -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=${PORT:-8097}
LOG=$(mktemp)
ONEDNN_MAX_CPU_ISA=AVX2 java -jar target/dermatrend.jar serve --demo --port "$PORT" > "$LOG" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; rm -f "$LOG" /tmp/pages-jar.txt /tmp/pages-*.html' EXIT
for _ in $(seq 60); do grep -q 'Staff login' "$LOG" && break; sleep 1; done
B=http://localhost:$PORT
PW=$(grep 'Staff login' "$LOG" | awk '{print $5}')
AREA=$(grep -o 'area left-cheek ([0-9a-f-]*)' "$LOG" | grep -o '[0-9a-f-]\{36\}')
J=/tmp/pages-jar.txt
curl -s -c $J -b $J $B/sign-in -o /tmp/pages-signin.html
T=$(grep -o 'name="_form" value="[^"]*"' /tmp/pages-signin.html | sed 's/.*value="//;s/"//')
curl -s -c $J -b $J -d "_form=$T&next=/patients&email=admin@demo.clinic&password=$PW" $B/sign-in -o /dev/null
# wait for the demo's five analyses
for _ in $(seq 120); do [ "$(grep -c '"outcome":"done"' "$LOG")" -ge 5 ] && break; sleep 1; done
PATIENT=$(curl -s -b $J "$B/patients?q=DEMO" | grep -o 'href="/patients/[0-9a-f-]*"' | head -1 | grep -o '[0-9a-f-]\{36\}')
PHOTO=$(curl -s -b $J "$B/areas/$AREA" | grep -o '/photos/[0-9a-f-]*/thumbnail' | head -1 | cut -d/ -f3)
PAGES="/patients /patients?q=DEMO /patients/$PATIENT /areas/$AREA /areas/$AREA/timeline /areas/$AREA/scale /photos/$PHOTO/thumbnail /admin/staff /admin/keys /account"
MARK=$(wc -l < "$LOG")
for p in $PAGES; do for _ in $(seq 5); do curl -s -b $J "$B$p" -o /dev/null; done; done
MARK=$(wc -l < "$LOG")
for p in $PAGES; do for _ in $(seq 60); do curl -s -b $J "$B$p" -o /dev/null; done; done
sleep 1
tail -n +"$((MARK + 1))" "$LOG" | python3 -c '
import json, sys, collections
by = collections.defaultdict(list)
for line in sys.stdin:
    i = line.find("{")
    if i < 0: continue
    try: e = json.loads(line[i:])
    except ValueError: continue
    if e.get("event") == "request" and e.get("method") == "GET": by[e["route"]].append(e["ms"])
allv = []
print("%-34s %5s %8s %8s" % ("route", "n", "median", "p95"))
for r, v in sorted(by.items()):
    v.sort(); allv += v
    print("%-34s %5d %6.1f ms %6.1f ms" % (r, len(v), v[len(v)//2], v[int(0.95*(len(v)-1))]))
allv.sort()
print("%-34s %5d %6.1f ms %6.1f ms" % ("all pages", len(allv), allv[len(allv)//2], allv[int(0.95*(len(allv)-1))]))
'
