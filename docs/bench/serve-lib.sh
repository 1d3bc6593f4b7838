# Sourced by the service benchmarks (service.sh, service-load.sh, soak.sh); run from the repository root
# after mvn -q -DskipTests package. Needs curl, jq and python3.
export ONEDNN_MAX_CPU_ISA=AVX2
KEY=bench-admin-key-0123456789abcdefghijkl
H="Authorization: Bearer $KEY"

# start_service [serve options...]: starts target/dermatrend.jar (or $JAR, with $JAVA_OPTS) serve on a free loopback port with a new
# temporary data folder (the embedded database), waits until it is ready, and stops it and deletes the
# folder when the script exits. Sets DATA, PORT, PID and B (the base URL).
start_service() {
  DATA=$(mktemp -d)
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  DERMATREND_ADMIN_KEY=$KEY java ${JAVA_OPTS:-} -jar "${JAR:-target/dermatrend.jar}" serve --port "$PORT" --data-dir "$DATA" "$@" > "$DATA/serve.log" 2>&1 &
  PID=$!
  # wait reports the killed service's status (143), which set -e would take for a failure before the rm.
  trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null || true; rm -rf "$DATA"' EXIT
  B=http://127.0.0.1:$PORT
  for _ in $(seq 60); do curl -sf "$B/health/ready" >/dev/null && break; sleep 0.5; done
}

# patient_area REFERENCE: a patient with one treated area at 0.025 mm/px. Sets P and A.
patient_area() {
  P=$(curl -s -H "$H" -H 'Content-Type: application/json' -d "{\"reference\":\"$1\"}" "$B/v1/patients" | jq -r .id)
  A=$(curl -s -H "$H" -H 'Content-Type: application/json' -d '{"name":"left-cheek","mmPerPx":0.025}' "$B/v1/patients/$P/areas" | jq -r .id)
}

# The service's resident memory now (rss) and at its peak (peak_rss), MB.
rss() { awk '/VmRSS/ {printf "%.0f", $2/1024}' /proc/$PID/status; }
peak_rss() { awk '/VmHWM/ {printf "%.0f", $2/1024}' /proc/$PID/status; }
