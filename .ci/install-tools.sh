#!/usr/bin/env bash
# Tools some tests use when present, installed where missing. Never fails the build: a test whose
# tool is missing says so (and fails under CI=true where it needs the tool).
#   docker-compose  DeploymentFilesTest checks docker-compose.yml with `docker-compose config`
#                   (Debian's docker-compose needs no Docker engine for that)
#   prometheus      PrometheusRulesTest runs `promtool check rules` and `promtool test rules`;
#                   DashboardQueriesIT starts its own `prometheus` against the local stack. The
#                   Debian package's service is not left running (it would hold port 9090).
#   wrk             bench's WrkClosedLoopTest runs the Lua storefront under wrk (bench/run.sh's
#                   closed loop); without it that test is skipped
#   ip (iproute2)   ClusterFaultIT puts its brokers in network namespaces (as root) to cut one off
#                   from the others; without it that fault is skipped
set -uo pipefail

apt_install() { # package, what skips without it
  local package=$1 without=$2
  if ! command -v apt-get >/dev/null 2>&1 || [[ "$(id -u)" != 0 ]]; then
    echo "install-tools: $package missing and apt-get not usable; $without" >&2
    return
  fi
  echo "install-tools: installing $package (apt) ..."
  # no service may start while installing: Debian's packages start theirs where an init system
  # allows it. A policy-rc.d that denies it is the Debian way; one already there is kept.
  local policy=/usr/sbin/policy-rc.d own_policy=""
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && own_policy=yes
  fi
  if ! apt-cache show "$package" >/dev/null 2>&1; then
    apt-get update -qq >/dev/null 2>&1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$package" >/dev/null 2>&1 \
    || echo "install-tools: could not install $package; $without" >&2
  [[ -n $own_policy ]] && rm -f "$policy"
}

command -v docker-compose >/dev/null 2>&1 \
  || apt_install docker-compose "DeploymentFilesTest skips its docker-compose check"

if ! command -v promtool >/dev/null 2>&1 || ! command -v prometheus >/dev/null 2>&1; then
  apt_install prometheus "PrometheusRulesTest and DashboardQueriesIT cannot run"
fi
command -v wrk >/dev/null 2>&1 || apt_install wrk "WrkClosedLoopTest skips its wrk run"
command -v ip >/dev/null 2>&1 || apt_install iproute2 "ClusterFaultIT skips the broker cut off from the others"

# should a service manager have started Debian's Prometheus anyway, stop it: the tests start their own
if command -v prometheus >/dev/null 2>&1 && [[ "$(id -u)" == 0 ]]; then
  if command -v systemctl >/dev/null 2>&1 && [[ -d /run/systemd/system ]]; then
    systemctl disable --now prometheus >/dev/null 2>&1 || true
  elif [[ -x /etc/init.d/prometheus ]]; then
    /etc/init.d/prometheus stop >/dev/null 2>&1 || true
  fi
fi
exit 0
