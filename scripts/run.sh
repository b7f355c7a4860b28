#!/usr/bin/env bash
# Embedded, server-free setup: SQLite, local-memory cache, filesystem:// Celery broker,
# console e-mail, payment simulator. Values in .env or the environment win.
set -euo pipefail
cd "$(dirname "$0")/.."

# First run: a development .env (never overwritten), so every command the README shows works in a
# new shell too, and this checkout signs its sessions and tokens with a key of its own.
[[ -f .env ]] || scripts/dev-env.sh .env

export DEBUG="${DEBUG:-true}"
# One time zone in every log line: Django and Celery log in TIME_ZONE (Asia/Kolkata); so do honcho's
# prefix and gunicorn's master process, which start before Django sets it.
export TZ="${TZ:-Asia/Kolkata}"
export PORT="${PORT:-8000}"
export SITE_URL="${SITE_URL:-http://127.0.0.1:${PORT}}"
PY=.venv/bin/python

mkdir -p var
$PY manage.py migrate --noinput
$PY manage.py collectstatic --noinput --verbosity 0
$PY manage.py load_demo_data

cat <<BANNER

  Cleanit is starting on ${SITE_URL}
    pages        ${SITE_URL}/
    API docs     ${SITE_URL}/api/v1/docs/
    admin        ${SITE_URL}/admin/
    health       ${SITE_URL}/health

  Demo logins (password: ${DEMO_PASSWORD:-Cleanit@2026})
    admin@demo.cleanit.in      admin (Django admin)
    customer@demo.cleanit.in   customer (bookings with Ravi in every state: one to pay, one to review)
    cleaner@demo.cleanit.in    cleaner Ravi (a booking request to answer, upcoming work; jobs, earnings; Bengaluru)
    sunita@demo.cleanit.in     cleaner (UPI payouts, flagged jobs in the queue; profile in Mumbai)
    newcleaner@demo.cleanit.in cleaner whose KYC waits for review, no cleaner profile yet
    and 198 cleaners to find in eight cities, e.g. venkatesh.mudiraj2@cleaners.demo.cleanit.in (same password)

  Ctrl-C stops the web server, the Celery worker and beat.

BANNER

# honcho gives the first process (web) the base port, -p.
exec .venv/bin/honcho start --procfile Procfile --port "${PORT}"
