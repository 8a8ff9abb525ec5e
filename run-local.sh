#!/usr/bin/env bash
# Order Stream on this machine, with real parts: a KRaft Kafka broker, PostgreSQL, the processor
# and the API. Needs only a JDK 17+ and Maven; builds what is missing or stale, then runs.
#
#   ./run-local.sh            build if needed, start, print demo tokens and a curl to try
#   ./run-local.sh --observability
#                             the same, and Prometheus (Debian's prometheus package) beside it,
#                             scraping both services with deploy/prometheus/alerts.yml
#   ./run-local.sh --brokers 3
#                             the same on a three-broker KRaft cluster (each broker its own JVM,
#                             ports ORDERS_KAFKA_PORT to ORDERS_KAFKA_PORT+2) with the production
#                             replication settings: replication factor 3, min.insync.replicas 2
#   Ctrl-C (or SIGTERM)       stops everything
#
# Ports: SERVER_PORT (8080), ORDERS_API_MANAGEMENT_PORT (8090: the API's health and metrics),
# ORDERS_PROCESSOR_PORT (8081: the processor's health and metrics), ORDERS_KAFKA_PORT (9092),
# ORDERS_PG_PORT (5432), ORDERS_PROMETHEUS_PORT (9090, with --observability). ORDERS_JWT_SECRET
# overrides the development secret. JAVA_OPTS for the JVM.
set -euo pipefail
cd "$(dirname "$0")"

jar=local-stack/target/local-stack-exec.jar
stale=""
if [[ -f "$jar" ]]; then
  stale=$(find . -path ./.local -prune -o -path '*/target' -prune -o \
    \( -name '*.java' -o -name 'pom.xml' -o -name '*.yml' -o -name '*.sql' -o -name '*.xml' \) \
    -newer "$jar" -print -quit)
fi
if [[ ! -f "$jar" || -n "$stale" ]]; then
  command -v mvn >/dev/null || { echo "order-stream: Maven (mvn) is needed to build; install it first." >&2; exit 1; }
  echo "order-stream: building (mvn -DskipTests package), a minute or two the first time ..."
  mvn -B -q -DskipTests package -pl local-stack -am
fi

exec java ${JAVA_OPTS:--Xmx1g -XX:+UseSerialGC} -jar "$jar" "$@"
