#!/usr/bin/env bash
# Installs the peers' own tools for the side-by-side benchmark, only what is missing:
#   pgbench                          (Debian package postgresql-client)
#   redis-server                     (Debian package redis-server)
#   redis-benchmark and redis-cli    (Debian package redis-tools)
#   wrk                              (Debian package wrk), Order Stream's closed loop; optional: when
#                                    it cannot be installed the closed loop uses the Netty driver
# Idempotent: a second run installs nothing. Uses sudo only when not root.
set -euo pipefail

declare -A package_of=(
  [pgbench]=postgresql-client
  [redis-server]=redis-server
  [redis-benchmark]=redis-tools
)

missing=()
for tool in pgbench redis-server redis-benchmark; do
  if command -v "$tool" >/dev/null 2>&1; then
    echo "install-peers: $tool present ($(command -v "$tool"))"
  else
    missing+=("${package_of[$tool]}")
  fi
done

optional=()
if command -v wrk >/dev/null 2>&1; then
  echo "install-peers: wrk present ($(command -v wrk))"
else
  optional+=(wrk)
fi

if [ ${#missing[@]} -eq 0 ] && [ ${#optional[@]} -eq 0 ]; then
  echo "install-peers: nothing to install"
  exit 0
fi

if [ ${#optional[@]} -gt 0 ]; then
  if { [ "$(id -u)" -eq 0 ] || command -v sudo >/dev/null 2>&1; } && command -v apt-get >/dev/null 2>&1; then
    as=(); [ "$(id -u)" -eq 0 ] || as=(sudo -n)
    echo "install-peers: installing ${optional[*]} (optional)"
    "${as[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${optional[@]}" \
        >/dev/null 2>&1 \
      || { "${as[@]}" apt-get update -q >/dev/null 2>&1 \
           && "${as[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
                "${optional[@]}" >/dev/null 2>&1; } \
      || echo "install-peers: could not install ${optional[*]}; the closed loop uses the Netty driver" >&2
  else
    echo "install-peers: ${optional[*]} missing and no root/apt-get; the closed loop uses the Netty driver" >&2
  fi
fi
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-peers: done"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "install-peers: need root or sudo to install: ${missing[*]}" >&2
  exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-peers: no apt-get here; install these packages by hand: ${missing[*]}" >&2
  exit 1
fi


echo "install-peers: installing ${missing[*]}"
if ! "${as_root[@]}" apt-get update -q \
    || ! "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"; then
  echo "install-peers: apt-get failed to install: ${missing[*]}" >&2
  exit 1
fi

for tool in pgbench redis-server redis-benchmark; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "install-peers: $tool still missing after installing ${missing[*]}" >&2
    exit 1
  fi
done
echo "install-peers: done"
