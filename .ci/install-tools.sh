#!/usr/bin/env bash
# Tools some tests use when present, installed where missing. Never fails the build: a test whose
# tool is missing says so and runs what it can without it.
#   docker-compose  DeploymentFilesTest checks docker-compose.yml with `docker-compose config`
#                   (Debian's docker-compose needs no Docker engine for that)
set -uo pipefail

if ! command -v docker-compose >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [[ "$(id -u)" == 0 ]]; then
    echo "install-tools: installing docker-compose (apt) ..."
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose; } >/dev/null 2>&1 \
      || echo "install-tools: could not install docker-compose; DeploymentFilesTest skips its check" >&2
  else
    echo "install-tools: docker-compose missing and apt-get not usable; DeploymentFilesTest skips its check" >&2
  fi
fi
exit 0
