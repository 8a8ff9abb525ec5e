#!/usr/bin/env bash
# bench/run.sh [--quick] [options]: Order Stream against its peers, side by side, on this machine.
#
# Starts a broker and PostgreSQL, then Order Stream (processor and API, each its own JVM) under
# storefront HTTP load at fixed rates and in a closed loop, then each peer at the same rates: a
# pass-through exactly-once Kafka Streams stage, Kafka's transactional ProducerPerformance,
# PostgreSQL's usual idempotency-key design under pgbench, Redis SET NX EX. Audits the event log
# and the projection afterwards, prints the table and writes bench/results/<date>-<commit>.md and
# a PNG chart. --quick: 5 s per step, about 3 minutes. --help: every option. See bench/README.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

for arg in "$@"; do
  if [[ "$arg" == "--help" || "$arg" == "-h" ]]; then
    sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
    java -cp "bench/target/classes:bench/target/lib/*" io.orderstream.bench.SideBySide --help 2>&1 | tail -n +2 || true
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
# idle pooled connections close after 5 s, so an overloaded step's thousands of connections do not
# hold the API's connection slots into the next step
exec java ${BENCH_JAVA_OPTS:--Xmx2g} -Djdk.httpclient.keepalive.timeout=5 -Dlogback.configurationFile=bench-logback.xml \
  -cp "$jar:bench/target/lib/*" io.orderstream.bench.SideBySide --commit="$commit" "$@"
