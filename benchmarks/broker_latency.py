"""Queue-to-run latency of the embedded broker (kombu `filesystem://`), as `make run` uses it.

Starts a real Celery worker with the project's embedded broker settings in a temporary broker folder,
queues tasks one at a time (like after-commit tasks and simulator webhooks are queued), and reports the
median and p95 of the time from `apply_async` to the task starting. Usage:

    .venv/bin/python benchmarks/broker_latency.py [--tasks 40]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cleanit.settings")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("SECRET_KEY", "broker-latency-benchmark-only")
os.environ.pop("REDIS_URL", None)
if "CELERY_BROKER_DIR" not in os.environ:
    os.environ["CELERY_BROKER_DIR"] = tempfile.mkdtemp(prefix="cleanit-broker-")

import django  # noqa: E402

django.setup()

from celery import Celery  # noqa: E402

app = Celery("broker_latency")
app.config_from_object("django.conf:settings", namespace="CELERY")
for folder in ("queue", "processed", "control"):
    (Path(os.environ["CELERY_BROKER_DIR"]) / folder).mkdir(parents=True, exist_ok=True)
RESULTS = Path(os.environ["CELERY_BROKER_DIR"]) / "latencies.txt"


@app.task(name="benchmarks.record_latency")
def record_latency(queued_at: float) -> None:
    with RESULTS.open("a") as handle:
        handle.write(f"{time.time() - queued_at}\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=40)
    parser.add_argument("--gap", type=float, default=0.25, help="seconds between two tasks")
    parser.add_argument("--json", action="store_true", help="print one JSON object (for benchmarks/run.py)")
    options = parser.parse_args()
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "benchmarks.broker_latency", "worker", "--concurrency", "2",
         "--loglevel", "WARNING", "--without-heartbeat", "--without-gossip", "--without-mingle"],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        record_latency.apply_async(args=[time.time()])  # warm-up: the worker is up once this one ran
        deadline = time.time() + 60
        while not RESULTS.exists() and time.time() < deadline:
            time.sleep(0.1)
        RESULTS.unlink(missing_ok=True)
        for _ in range(options.tasks):
            record_latency.apply_async(args=[time.time()])
            time.sleep(options.gap)
        deadline = time.time() + 120
        while time.time() < deadline:
            done = RESULTS.read_text().split() if RESULTS.exists() else []
            if len(done) >= options.tasks:
                break
            time.sleep(0.2)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    latencies = sorted(float(value) for value in done)
    if len(latencies) < options.tasks:
        raise SystemExit(f"only {len(latencies)} of {options.tasks} tasks ran within the time limit")
    p95 = latencies[max(0, round(0.95 * len(latencies)) - 1)]
    if options.json:
        import json

        print(json.dumps({"tasks": len(latencies), "gap": options.gap, "median": statistics.median(latencies),
                          "p95": p95, "max": latencies[-1],
                          "polling": app.conf.broker_transport_options.get("polling_interval", 1.0)}))
        return
    print(f"tasks {len(latencies)}  median {statistics.median(latencies):.3f} s  p95 {p95:.3f} s  "
          f"max {latencies[-1]:.3f} s  (polling_interval "
          f"{app.conf.broker_transport_options.get('polling_interval', 'kombu default 1.0')})")


if __name__ == "__main__":
    main()
