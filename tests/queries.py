"""Counting a batch job's queries per item the way benchmarks/scaling.py does, for query-count tests.

Run under ``transactional_db`` the code commits as in production (no test transaction around it, so
no savepoints that production would not make), and every statement is counted, BEGIN and COMMIT
included. The payment simulator's own statements are set apart: it stands in for RazorpayX, whose
writes are not the app's in production (the webhooks it sends are); a BEGIN or COMMIT belongs to
the statements it opens or closes."""

from __future__ import annotations

import functools
from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext

SIMULATOR_TABLES = '"payments_sim'


def _control(sql: str) -> bool:
    return sql.startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT"))


def app_queries(captured: list[dict]) -> list[str]:
    """The statements of ``captured`` (CaptureQueriesContext.captured_queries) that are the app's."""
    statements = [query["sql"] for query in captured]
    side = [None if _control(sql) else SIMULATOR_TABLES not in sql for sql in statements]
    for index, sql in enumerate(statements):  # an opening statement goes with the next one, a closing with the last
        if side[index] is None:
            neighbours = statements[index + 1:] if sql.startswith(("BEGIN", "SAVEPOINT")) else statements[:index][::-1]
            side[index] = next((SIMULATOR_TABLES not in other for other in neighbours if not _control(other)), True)
    return [sql for sql, is_app in zip(statements, side) if is_app]


@contextmanager
def per_item(module, name: str):
    """Capture, separately, the queries of each call to ``module.name`` (what a batch job does once
    per item); yields the list of each call's app statements."""
    original = getattr(module, name)
    calls: list[list[str]] = []

    @functools.wraps(original)
    def counted(*args, **kwargs):
        with CaptureQueriesContext(connection) as queries:
            result = original(*args, **kwargs)
        calls.append(app_queries(queries.captured_queries))
        return result

    setattr(module, name, counted)
    try:
        yield calls
    finally:
        setattr(module, name, original)


def listing(statements: list[str]) -> str:
    return "\n".join(sql[:140] for sql in statements)
