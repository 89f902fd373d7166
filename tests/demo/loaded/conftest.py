"""The demo district, loaded once per test session and committed; every test runs in its own
transaction on top of it and leaves it as it found it.

Why committed and once: ``seed_demo`` takes seconds, and a demo held in one long uncommitted
transaction gives PostgreSQL's autovacuum statistics that say "empty" (it cannot see the rows),
after which the planner chose nested loops that ran for twenty minutes. Committed, the demo is
the database as ``make run`` leaves it, and ``seed_demo`` refreshes the statistics itself.

Because the demo is committed into the test database, these tests run in a session of their
own (``make test-demo``): a test elsewhere expects an empty database.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command

HERE = Path(__file__).parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    inside = [item for item in items if HERE in item.path.parents]
    if inside and len(inside) != len(items):
        raise pytest.UsageError(
            "tests/demo/loaded commits the demo into the test database: run it in a session of "
            "its own (make test-demo), not together with other tests."
        )
    if inside:
        # Loading the demo is part of the first test's setup: about a minute alone, several on a
        # CI machine running the other jobs beside it.
        inside[0].add_marker(pytest.mark.timeout(480))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker) -> str:
    """The test database as pytest-django makes it, with the demo loaded and committed."""
    out = io.StringIO()
    with django_db_blocker.unblock():
        call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="session")
def demo(django_db_setup: str) -> str:
    """What ``seed_demo`` printed when it loaded the demo."""
    return django_db_setup
