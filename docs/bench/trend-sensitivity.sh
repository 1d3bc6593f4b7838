#!/usr/bin/env bash
# How often the trend verdicts call a treatment course "improving", by the treatment's strength.
# Six synthetic skins (seeds 92001-92006, types I-VI; the repeatability study used 70001-70012), five
# sessions each, effect 0 (unchanged skin), 0.25, 0.5 and 1 (the demo course: scars 35 % shallower,
# haemoglobin 0.65 -> 0.50, pores 10 % smaller). Usage: bash docs/bench/trend-sensitivity.sh  (needs jq)
set -euo pipefail
export ONEDNN_MAX_CPU_ISA=AVX2
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
printf '%-7s %-24s %-10s %-10s %-10s\n' effect metric improving stable other
for eff in 0 0.25 0.5 1; do
  for seed in 92001 92002 92003 92004 92005 92006; do
    d=$TMP/$eff-$seed
    java -jar target/dermatrend.jar synth --series 5 --effect $eff --seed $seed --fitzpatrick $(( seed % 6 + 1 )) --out $d 2>/dev/null
    java -jar target/dermatrend.jar trend --json $d/manifest.json > $d/trend.json
  done
  for key in scars.meanDepthMm redness.erythemaIndex pores.meanDiameterMm ALL; do
    if [ $key = ALL ]; then sel='.metrics[].verdict'; else sel=".metrics[\"$key\"].verdict"; fi
    v=$(cat $TMP/$eff-*/trend.json | jq -r "$sel")
    printf '%-7s %-24s %-10s %-10s %-10s\n' $eff $key "$(grep -c '^improving' <<<"$v" || true)" \
      "$(grep -c '^stable' <<<"$v" || true)" "$(grep -vc -e '^improving' -e '^stable' <<<"$v" || true)"
  done
done
