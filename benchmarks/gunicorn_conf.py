"""gunicorn settings for `make bench`: the server's own options come from benchmarks/run.py's command line; this
file only adds a measurement. Each worker times every start of a transaction on SQLite (with WAL and immediate
transactions, that is where a writer waits for the database's one write lock: in cleanit/sqlite/base.py's
process lock, then in ``BEGIN IMMEDIATE``) and appends the milliseconds, one per line, to
var/bench/lockwait-<pid>.log; run.py reads the lines each scenario added ("SQLite lock waits").
BENCH_SWITCH_INTERVAL_MS sets the workers' GIL switch interval (an experiment; Python's default is 5 ms)."""

import os
import time
from pathlib import Path

LOG_DIR = Path(os.environ.get("BENCH_LOCKWAIT_DIR", Path(__file__).resolve().parent.parent / "var" / "bench"))


def post_fork(server, worker):
    from django.db.backends.signals import connection_created

    if os.environ.get("BENCH_SWITCH_INTERVAL_MS"):  # an experiment: the GIL's switch interval (default 5 ms)
        import sys

        sys.setswitchinterval(float(os.environ["BENCH_SWITCH_INTERVAL_MS"]) / 1000)

    handle = open(LOG_DIR / f"lockwait-{os.getpid()}.log", "a", buffering=1)
    patched = set()

    def created(sender, connection, **kwargs):
        wrapper = type(connection)
        if connection.vendor != "sqlite" or wrapper in patched:
            return
        patched.add(wrapper)
        start = wrapper._start_transaction_under_autocommit

        def timed(self):
            started = time.perf_counter()
            try:
                return start(self)
            finally:
                handle.write(f"{1000 * (time.perf_counter() - started):.2f}\n")

        wrapper._start_transaction_under_autocommit = timed

    connection_created.connect(created, weak=False)
