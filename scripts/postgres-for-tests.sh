#!/usr/bin/env bash
# Start a local PostgreSQL for the test suite and print its DATABASE_URL.
# Installs Debian's postgresql when missing and running as root; exits 1 when none can be had.
set -euo pipefail
if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
  [ "$(id -u)" = 0 ] || exit 1
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; } >/dev/null 2>&1 || exit 1
fi
version=$(ls /etc/postgresql | sort -V | tail -n 1)
[ -n "$version" ] || exit 1
if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" && $4=="online"' | grep -q .; then
  pg_ctlcluster "$version" main start >/dev/null 2>&1 || exit 1
fi
port=$(pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $3}')
run_psql() { if [ "$(id -u)" = 0 ]; then su postgres -c "psql -p $port -tAc \"$1\""; else psql -p "$port" -tAc "$1"; fi; }
if [ "$(run_psql "SELECT 1 FROM pg_roles WHERE rolname='bsb'" 2>/dev/null)" != "1" ]; then
  run_psql "CREATE ROLE bsb LOGIN CREATEDB PASSWORD 'bsb'" >/dev/null 2>&1 || exit 1
fi
if [ "$(run_psql "SELECT 1 FROM pg_database WHERE datname='bsb'" 2>/dev/null)" != "1" ]; then
  run_psql "CREATE DATABASE bsb OWNER bsb" >/dev/null 2>&1 || exit 1
fi
echo "postgres://bsb:bsb@127.0.0.1:${port}/bsb"
