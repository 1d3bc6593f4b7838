#!/usr/bin/env bash
# Regenerates this committed set (run from the repository root after `mvn -q -DskipTests package`).
# Height maps are not kept here (the quality gate does not need them); the truth JSON says so.
set -euo pipefail
D=datasets/phantoms/quality
J="java -jar target/dermatrend.jar"
gen() { name=$1; shift; $J synth --out "$D" --name "$name" --width 800 --height 600 --gray-card --jpeg-quality 88 "$@"; }
gen clean-f1 --seed 901 --fitzpatrick 1 --hairs 8
gen clean-f4 --seed 902 --fitzpatrick 4 --boxcar 1 --icepick 1
gen clean-f6 --seed 903 --fitzpatrick 6
gen blurred --seed 904 --preset blurred
gen overexposed --seed 905 --preset overexposed
gen dark --seed 906 --preset dark --fitzpatrick 3
gen skin-poor --seed 907 --preset skin-poor
gen glare --seed 908 --preset glare --fitzpatrick 5
gen uneven --seed 909 --preset uneven
rm -f "$D"/*.height.tiff
for f in "$D"/*.truth.json; do
  python3 -c 'import json,sys; p=sys.argv[1]; d=json.load(open(p)); d["files"]["heightMap"]=None; json.dump(d,open(p,"w"),indent=1)' "$f"
done
