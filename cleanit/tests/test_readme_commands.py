"""Every `manage.py` command the README shows works pasted into a new shell after `make run`: with the
development .env that `make run` writes and nothing else in the environment."""

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Shown in code blocks (".venv/bin/python manage.py ...") or inline (`python manage.py ...`).
COMMAND = re.compile(r"(?:^|`)(?:\.venv/bin/)?python manage\.py ([^`#\n]+)", re.M)
STORE_SETTINGS = ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "SECRET_KEY", "DEBUG", "KYC_ENCRYPTION_KEYS",
                  "CELERY_TASK_ALWAYS_EAGER", "CLEANIT_ENV_FILE")


def readme_commands() -> list[str]:
    commands = []
    for match in COMMAND.finditer((ROOT / "README.md").read_text()):
        arguments = match.group(1).strip()
        if "<" in arguments:  # a placeholder such as <name>, not a command to paste
            continue
        if arguments not in commands:
            commands.append(arguments)
    return commands


@pytest.fixture(scope="module")
def fresh_shell(tmp_path_factory):
    """A new shell's environment after `make run`: the .env it writes, a database it migrated."""
    folder = tmp_path_factory.mktemp("checkout")
    environment = {key: value for key, value in os.environ.items()
                   if key not in STORE_SETTINGS and not key.startswith(("PAYMENT_", "RAZORPAY"))}
    environment.update(CLEANIT_ENV_FILE=str(folder / ".env"), DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
                       CELERY_BROKER_DIR=str(folder / "broker"), PYTHON=sys.executable)
    subprocess.run([str(ROOT / "scripts" / "dev-env.sh"), str(folder / ".env")], cwd=ROOT, env=environment,
                   check=True, capture_output=True, timeout=60)
    migrated = subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT,
                              env=environment, capture_output=True, text=True, timeout=300)
    assert migrated.returncode == 0, migrated.stderr[-2000:]
    return environment


def test_the_readme_shows_commands():
    assert {"check_ledger", "run_periodic --list"} <= set(readme_commands())


@pytest.mark.parametrize("arguments", readme_commands())
def test_readme_command_runs_in_a_new_shell(fresh_shell, arguments):
    result = subprocess.run([sys.executable, "manage.py", *shlex.split(arguments)], cwd=ROOT, env=fresh_shell,
                            capture_output=True, text=True, timeout=300)
    assert "SECRET_KEY" not in result.stderr, result.stderr[-2000:]
    assert result.returncode == 0, f"manage.py {arguments}: {result.stdout[-1000:]}{result.stderr[-2000:]}"


def test_the_development_env_has_keys_of_its_own(tmp_path):
    first, second = tmp_path / "a.env", tmp_path / "b.env"
    for target in (first, second):
        subprocess.run([str(ROOT / "scripts" / "dev-env.sh"), str(target)], cwd=ROOT, check=True, capture_output=True,
                       env={**os.environ, "PYTHON": sys.executable}, timeout=60)
    keys = [dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line and line[0] != "#")
            for path in (first, second)]
    assert keys[0]["DEBUG"] == "true" and len(keys[0]["SECRET_KEY"]) >= 50
    assert keys[0]["SECRET_KEY"] != keys[1]["SECRET_KEY"]
    assert keys[0]["KYC_ENCRYPTION_KEYS"] != keys[1]["KYC_ENCRYPTION_KEYS"]
    before = first.read_text()
    subprocess.run([str(ROOT / "scripts" / "dev-env.sh"), str(first)], cwd=ROOT, check=True, capture_output=True,
                   env={**os.environ, "PYTHON": sys.executable}, timeout=60)
    assert first.read_text() == before  # never overwritten
