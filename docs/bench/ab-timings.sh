#!/usr/bin/env bash
# Per-stage --timings of score and compare on 12 MP photos for two builds of dermatrend, in one run, alternating
# (A B A B ...), so that both see the same machine. Prints each stage's median per build and the ratio B / A.
#   bash docs/bench/ab-timings.sh OLD.jar NEW.jar [ROUNDS]
# Each round scores one 12 MP phantom 8 times in one process (the first, JIT warm-up, is dropped) and compares
# one 12 MP pair 7 times in one process (likewise). Needs ONEDNN_MAX_CPU_ISA=AVX2 on AVX-512 CPUs.
set -euo pipefail
A=$1; B=$2; ROUNDS=${3:-3}
export ONEDNN_MAX_CPU_ISA=${ONEDNN_MAX_CPU_ISA:-AVX2}
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
java -jar "$B" synth --out "$W/s" --width 4000 --height 3000 --mm-per-px 0.01 --gray-card --seed 77 --name p12 >/dev/null 2>&1
java -jar "$B" synth --series 2 --width 4000 --height 3000 --mm-per-px 0.01 --seed 7 --out "$W/p" >/dev/null 2>&1
photo=$(ls "$W"/s/*.jpg | head -1)
mapfile -t pair < <(ls "$W"/p/*.jpg | sort)
{ echo before,after; for i in 1 2 3 4 5 6 7; do echo "${pair[0]},${pair[1]}"; done; } > "$W/pairs.csv"
for r in $(seq "$ROUNDS"); do
  for which in A B; do
    jar=$A; [ "$which" = B ] && jar=$B
    for i in 1 2 3 4 5 6 7 8; do echo "$photo"; done \
      | xargs java -jar "$jar" score --json --timings --mm-per-px 0.01 --gray-ref 120,90,584,584 2>>"$W/score-$which.txt" >/dev/null || true
    java -jar "$jar" compare --pairs "$W/pairs.csv" --json --mm-per-px 0.01 --timings 2>>"$W/compare-$which.txt" >/dev/null || true
  done
done
python3 - "$W" <<'PY'
import re, statistics, sys
w = sys.argv[1]
def stages(path, skip_first_every):
    runs = [l for l in open(path) if l.startswith("timings ")]
    keep = [l for i, l in enumerate(runs) if i % skip_first_every != 0]   # drop each process's first (warm-up)
    out = {}
    for l in keep:
        body = l.split(":", 1)[1]
        for name, ms in re.findall(r" (\w+) (\d+) ms", body.split("(total")[0]):
            out.setdefault(name, []).append(float(ms))
        # Stages run on a second core beside the others ("(total N ms; beside them: scars M ms, ...)").
        beside = body.split("beside them:")[1] if "beside them:" in body else ""
        for name, ms in re.findall(r" (\w+) (\d+) ms", beside):
            out.setdefault(name + " (beside)", []).append(float(ms))
        out.setdefault("total", []).append(float(re.search(r"\(total (\d+) ms", l).group(1)))
    return {k: statistics.median(v) for k, v in out.items()}, len(keep)
for cmd, per in (("score", 8), ("compare", 7)):
    a, na = stages(f"{w}/{cmd}-A.txt", per)
    b, nb = stages(f"{w}/{cmd}-B.txt", per)
    print(f"\n{cmd}: medians of {na} (A) and {nb} (B) runs")
    dec_a, dec_b = a.get("decode"), b.get("decode")
    print("| stage | A ms | A × decode | B ms | B × decode | B / A |\n|---|---|---|---|---|---|")
    for k in list(a) + [k for k in b if k not in a]:
        va, vb = a.get(k), b.get(k)
        cell = lambda v, d: ("–", "–") if v is None else (f"{v:.0f}", f"{v / d:.1f}")
        (ma, ra), (mb, rb) = cell(va, dec_a), cell(vb, dec_b)
        ratio = f"{vb / va:.2f}" if va and vb else "–"
        print(f"| {k} | {ma} | {ra} | {mb} | {rb} | {ratio} |")
PY
