#!/usr/bin/env bash
# Install and start what the test suite needs when it is missing: a Java runtime (Spark),
# Chromium (browser tests), sipp (SIP tests), PostgreSQL and Redis running. The service
# commands are this machine kind's own (see the developers' guide).
set -u
missing=()
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v sipp >/dev/null 2>&1 || missing+=(sip-tester)  # Debian names sipp "sip-tester"
if [ ${#missing[@]} -gt 0 ]; then
    echo "ensure-services: installing ${missing[*]}" >&2
    if command -v apt-get >/dev/null 2>&1; then
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") \
            >/dev/null 2>&1 || echo "ensure-services: could not install ${missing[*]}; the tests that need them will say so" >&2
    fi
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
