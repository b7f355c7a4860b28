from tests.ledger import ledger_invariant_holds_after_each_test  # noqa: F401  (autouse)
