#!/usr/bin/env bash
# Installs the peers' own tools for the side-by-side benchmark, only what is missing:
#   pgbench                          (Debian package postgresql-client)
#   redis-server                     (Debian package redis-server)
#   redis-benchmark and redis-cli    (Debian package redis-tools)
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

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-peers: nothing to install"
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
