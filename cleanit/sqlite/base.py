"""Django's SQLite backend with one write lock per process in front of SQLite's own (issue 12).

SQLite lets one writer in at a time. A transaction here starts with ``BEGIN IMMEDIATE`` (settings.py), and a
thread that finds the write lock taken waits in SQLite's busy handler, which sleeps in growing steps (1, 2,
5, 10 ... 100 ms) between its tries instead of waking when the lock is freed. Under the campaigns load
(8 threads per gunicorn worker, a contribution every 60 ms) `make bench` measured those waits: 25 s of waiting
in a 20 s run, p99 183 ms, up to 636 ms, on transactions that hold the lock for a few milliseconds.

Here the threads of one process first take a Python lock, which hands over at once when released, so at most
one writer per process waits in SQLite's busy handler. Nothing else changes: the same statements, the same
transactions, the same ``timeout`` (the Python lock waits at most as long, then answers "database is locked"
like SQLite would). Writes outside a transaction (single statements in autocommit) do not take it. MongoDB
does not use this module."""

import threading

from django.db.backends.sqlite3 import base
from django.db.utils import OperationalError

_WRITER = threading.Lock()


class DatabaseWrapper(base.DatabaseWrapper):
    _holds_writer = False

    def _start_transaction_under_autocommit(self):
        if not _WRITER.acquire(timeout=float(self.settings_dict["OPTIONS"].get("timeout", 5))):
            raise OperationalError("database is locked")
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            _WRITER.release()
            raise
        self._holds_writer = True

    def _release_writer(self):
        if self._holds_writer:
            self._holds_writer = False
            _WRITER.release()

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._release_writer()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._release_writer()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._release_writer()
