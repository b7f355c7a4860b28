#!/usr/bin/env bash
# Writes a development .env at $1 (never overwrites one): DEBUG on, and a random SECRET_KEY and KYC
# key of this checkout's own, so no published key signs its sessions, tokens or encrypted details.
set -euo pipefail
target="${1:-.env}"
[[ -e "$target" ]] && exit 0
umask 077
"${PYTHON:-.venv/bin/python}" - "$target" <<'PY'
import base64, secrets, sys
from pathlib import Path

Path(sys.argv[1]).write_text(
    "# Development settings written by `make run` on the first run (see .env.example for every variable).\n"
    "DEBUG=true\n"
    f"SECRET_KEY={secrets.token_urlsafe(50)}\n"
    f"KYC_ENCRYPTION_KEYS={base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()}\n"
)
PY
echo "Wrote a development $target with a random SECRET_KEY and KYC key."
