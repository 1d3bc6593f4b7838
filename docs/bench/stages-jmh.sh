#!/usr/bin/env bash
# Per-stage JMH benchmarks of score and compare on 12-megapixel photos, each stage's median as a ratio
# to decoding the same JPEG in the same run (src/test/java/org/dermatrend/bench/StageBenchmarks.java).
# Usage (repository root): bash docs/bench/stages-jmh.sh [JMH options, e.g. -wi 1 -i 3]   (needs python3)
# About 6 minutes on 2 cores. The photos are synthetic and are made here, in $OUT.
set -euo pipefail
OUT=${OUT:-/tmp/dermatrend-bench}
mkdir -p "$OUT"
mvn -q -DskipTests package
mvn -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$OUT/classpath.txt"
if [ ! -f "$OUT/score.jpg" ]; then
  # One scarred skin with a grey card at 0.01 mm/px (4000x3000), and a rotated, zoomed, relit follow-up pair.
  java -jar target/dermatrend.jar synth --out "$OUT/synth" --width 4000 --height 3000 --mm-per-px 0.01 --gray-card \
    --seed 77 --name p12 --preset scarred > /dev/null
  cp "$OUT/synth/p12-77.jpg" "$OUT/score.jpg"
  java -Xmx14g -jar target/dermatrend.jar eval-align --phantoms 2 --size 4000x3000 --mm-per-px 0.01 --seed-base 40001 \
    --no-real --write-set "$OUT/pair" > /dev/null
  cp "$OUT/pair/phantom-40002-before.jpg" "$OUT/before.jpg"
  cp "$OUT/pair/phantom-40002-after.jpg" "$OUT/after.jpg"
fi
java -cp "target/test-classes:target/classes:$(cat "$OUT/classpath.txt")" org.openjdk.jmh.Main StageBenchmarks \
  -p photo="$OUT/score.jpg" -p before="$OUT/before.jpg" -p after="$OUT/after.jpg" \
  -rf json -rff "$OUT/jmh.json" "$@" | grep -E "^(Benchmark|StageBenchmarks\.[a-zA-Z]+ )" || true
python3 - "$OUT/jmh.json" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
p50 = {}
for r in rows:
    name = r["benchmark"].rsplit(".", 1)[1]
    m = r["primaryMetric"]
    p50[name] = (m["scorePercentiles"]["50.0"], m["scorePercentiles"]["0.0"], m["scorePercentiles"]["100.0"],
                 sum(c for run in m["rawDataHistogram"] for it in run for _, c in it))
decode = p50["decode"][0]
print("| stage | median ms | min–max ms | calls | × decode |")
print("|---|---|---|---|---|")
order = ["decode", "calibrate", "mask", "quality", "pores", "redness", "reliefModel", "scars", "align"]
for name in sorted(p50, key=lambda k: order.index(k) if k in order else len(order)):
    med, lo, hi, n = p50[name]
    print(f"| {name} | {med:.1f} | {lo:.1f}–{hi:.1f} | {n} | {med / decode:.2f} |")
PY
