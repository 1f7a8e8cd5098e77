#!/usr/bin/env bash
# Starts the local PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379) that the test suite
# uses, installing them from Debian's packages when missing. Safe to run again.
set -euo pipefail

apt_updated=0
apt_install() {
  if [ "$apt_updated" -eq 0 ]; then apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if ! command -v pg_isready >/dev/null 2>&1; then
  apt_install postgresql postgresql-contrib
fi
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
pg_isready -h 127.0.0.1 -p 5432
# Password login as postgres/postgres works whether the cluster trusts loopback or not.
if ! PGPASSWORD=postgres psql -h 127.0.0.1 -U postgres -d postgres -tAc 'select 1' >/dev/null 2>&1; then
  su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null
fi
PGPASSWORD=postgres psql -h 127.0.0.1 -U postgres -d postgres -tAc \
  "SELECT 1 FROM pg_database WHERE datname = 'dtv'" | grep -q 1 \
  || PGPASSWORD=postgres createdb -h 127.0.0.1 -U postgres dtv

if ! command -v redis-server >/dev/null 2>&1; then
  apt_install redis-server
fi
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/dtv.log
  for _ in $(seq 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done
fi
echo "redis: $(redis-cli -h 127.0.0.1 -p 6379 ping)"
