import pytest

from payments import gateway, ledger


@pytest.fixture(autouse=True)
def _ledger_invariant_holds_after_each_test(db):
    gateway.reset_client()
    yield
    report = ledger.check()
    assert not report.violations, report.violations
