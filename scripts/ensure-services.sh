#!/usr/bin/env bash
# Start what the test suite needs when it is not running: PostgreSQL, Redis, and a Java runtime
# for Spark. The commands are this machine kind's own (see the developers' guide).
set -u
if ! command -v java >/dev/null 2>&1; then
    echo "ensure-services: installing a Java runtime for Spark" >&2
    (apt-get update -qq && apt-get install -y -qq default-jre-headless) >/dev/null 2>&1 \
        || echo "ensure-services: could not install Java; Spark tests will be skipped" >&2
fi
if command -v pg_isready >/dev/null 2>&1 && ! pg_isready -q -h 127.0.0.1 -p 5432; then
    echo "ensure-services: starting PostgreSQL" >&2
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
fi
if command -v redis-cli >/dev/null 2>&1 && ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    echo "ensure-services: starting Redis" >&2
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
        --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
fi
exit 0
