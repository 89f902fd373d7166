"""Refreshing the planner's statistics after a bulk write (PostgreSQL only) must not wait on
other databases of the same server: a bare ``ANALYZE`` also analyses the catalogs every database
shares, and a CI run hung eight minutes behind a test session of another database."""

from __future__ import annotations

import pytest
from django.db import connection, connections, transaction
from django.db.utils import OperationalError

from lantoa.lib.bulk import refresh_planner_statistics
from lantoa.org.models import Unit

# Transactional tests of this suite all restore the database they emptied (serialized_rollback):
# one that does not lets the next one's restore collide with the content types it re-created.
pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite plans without statistics; nothing is analysed"
)


@pytest.fixture
def shared_catalog_held_elsewhere():
    """Another session holds the lock ANALYZE would need on a catalog shared by all databases."""
    other = connections.create_connection("default")
    try:
        other.set_autocommit(False)
        with other.cursor() as cursor:
            cursor.execute("LOCK TABLE pg_catalog.pg_database IN SHARE UPDATE EXCLUSIVE MODE")
        yield
    finally:
        other.rollback()
        other.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("written", [(), (Unit,)], ids=["every table", "named tables"])
def test_statistics_refresh_does_not_wait_on_shared_catalogs(shared_catalog_held_elsewhere, written):
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '2s'")
        refresh_planner_statistics(*written)  # a lock wait would raise after 2 s


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_bare_analyze_would_have_waited(shared_catalog_held_elsewhere):
    # The failure the fix avoids, shown on the same server, so the test above can fail.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL lock_timeout = '2s'")
        with pytest.raises(OperationalError, match="lock timeout"):
            cursor.execute("ANALYZE")
        transaction.set_rollback(True)
