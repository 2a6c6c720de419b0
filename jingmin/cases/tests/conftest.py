from jingmin.ledger.tests.conftest import ledger_a1  # noqa: F401 (a fixture the tests use)
