#!/bin/bash
# The processor alone under a fixed rate (no API, no HTTP): CPU per command of the processor and the
# broker from /proc, and send → committed result latency, lone and at 1,000 and <rate> commands/s.
# Run from a checkout's root after `mvn -B -q -DskipTests package -pl bench,ops-cli -am`:
#   idempotency-bench/harness/run.sh [rate] [seconds]      (defaults 2000 20)
# Settings of the processor come from the environment (ORDERS_COMMIT_REQUEST_SPACING=5ms, ...).
# To compare two builds in one sitting, copy each checkout (with its bench/target) and run one after the other.
set -euo pipefail
cp="bench/target/bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*"
mkdir -p idempotency-bench/harness/classes idempotency-bench/target/harness-work
javac -nowarn -cp "$cp" -d idempotency-bench/harness/classes idempotency-bench/harness/ProcessorCost.java
echo "load $(cat /proc/loadavg); ORDERS_COMMIT_REQUEST_SPACING=${ORDERS_COMMIT_REQUEST_SPACING:-} ORDERS_STREAMS_COMMIT_INTERVAL_MS=${ORDERS_STREAMS_COMMIT_INTERVAL_MS:-}"
java -Xmx1g -cp "idempotency-bench/harness/classes:$cp" ProcessorCost idempotency-bench/target/harness-work "${1:-2000}" "${2:-20}" \
  2>&1 | grep -v "^SLF4J\|WARN\|INFO"
