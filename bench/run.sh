#!/usr/bin/env bash
# bench/run.sh [--quick] [options]: Order Stream against its peers, side by side, on this machine.
#
# Starts a broker and PostgreSQL, then Order Stream (processor and API, each its own JVM) under
# storefront HTTP load at fixed rates, in a closed loop and at 2x and 5x its capacity, then each
# peer at the same rates: a pass-through exactly-once Kafka Streams stage, Kafka's transactional
# ProducerPerformance, PostgreSQL's usual idempotency-key design under pgbench, Redis SET NX EX.
# Audits the event log and the projection afterwards, prints the table and writes
# bench/results/<date>-<commit>.md, the same figures as .json, and a PNG chart.
# --quick: 3 s per step, a smoke test. --help: every option. See bench/README.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

for arg in "$@"; do
  if [[ "$arg" == "--help" || "$arg" == "-h" ]]; then
    sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
    java -cp "bench/target/classes:bench/target/lib/*" io.orderstream.bench.SideBySide --help 2>&1 || true
    exit 0
  fi
done

bench/install-peers.sh

jar="bench/target/bench-0.1.0-SNAPSHOT.jar"
ops="ops-cli/target/orders-ops-exec.jar"
stale=""
if [[ -f "$jar" && -f "$ops" ]]; then
  stale=$(find pom.xml */pom.xml */src -newer "$jar" -print -quit)
fi
if [[ ! -f "$jar" || ! -f "$ops" || -n "$stale" ]]; then
  command -v mvn >/dev/null || { echo "bench: Maven (mvn) is needed to build; install it first." >&2; exit 1; }
  echo "bench: building (mvn -DskipTests package -pl bench,ops-cli -am) ..."
  started=$SECONDS
  mvn -B -q -DskipTests package -pl bench,ops-cli -am
  echo "bench: built in $((SECONDS - started)) s"
fi

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]]; then
  commit="$commit-dirty"
fi
# the driver's JVM: a small heap and the serial collector, so its own GC threads take little of
# the two cores the system measured needs (its CPU per request is in the report)
exec java ${BENCH_JAVA_OPTS:--Xmx1g -XX:+UseSerialGC} -Djava.awt.headless=true \
  -Dlogback.configurationFile=bench-logback.xml \
  -cp "$jar:bench/target/lib/*" io.orderstream.bench.SideBySide --commit="$commit" "$@"
