"""The escrow invariant as an autouse fixture, for the test packages that move money.

A conftest imports it (``from tests.ledger import ledger_invariant_holds_after_each_test``) and
every test of that package then ends with the ledger checked."""

import pytest

from payments import gateway, ledger


@pytest.fixture(autouse=True)
def ledger_invariant_holds_after_each_test(db):
    gateway.reset_client()
    yield
    report = ledger.check()
    assert not report.violations, report.violations
