"""Two PostgreSQL shortcuts for the largest writes, beside ``lantoa.lib.bulk``.

- ``copy_values``: rows given as tuples of plain values (ints, strings, booleans) of a table no
  other row points at, without their primary keys: the database numbers them as it copies. For
  nine million attendance rows this saves asking the sequence for nine million ids (most of a minute on
  PostgreSQL) and building a dict per row.
- ``ForeignKeys``: foreign keys checked once after the load instead of once per row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models

from lantoa.lib.bulk import write_values


class ForeignKeys:
    """PostgreSQL: check the foreign keys of the tables the seed writes once, after they are
    loaded, instead of once per row.

    Why: a row's foreign key check is a query of its own (about 5 µs here); nine million
    attendance rows with two keys each spent as long on them as on the COPY itself. Dropping the
    constraints for the load (``drop``) and adding them back (``restore``) checks every row in one
    join per key. The definitions are read from the catalogue and restored as they were (names,
    DEFERRABLE INITIALLY DEFERRED); this is DDL inside the seed's transaction, so a failure rolls
    it back with the rows. Until the commit the tables are locked against other sessions: seed a
    database nobody is using. On SQLite nothing changes (it checks foreign keys at the commit).
    """

    def __init__(self, *tables: type[models.Model]) -> None:
        self.tables = tables
        self.dropped: list[tuple[str, str, str]] = []

    def drop(self) -> None:
        if connection.vendor != "postgresql":
            return
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            for model in self.tables:
                table = model._meta.db_table
                cursor.execute(
                    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
                    [quote(table)],
                )
                for name, definition in cursor.fetchall():
                    cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
                    self.dropped.append((table, name, definition))

    def restore(self) -> None:
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            for table, name, definition in self.dropped:
                cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
        self.dropped = []


def copy_values(model: type[models.Model], columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert ``rows`` (values in the order of ``columns``, attnames, no primary key): ``COPY`` on
    PostgreSQL, one ``executemany`` on SQLite. The values must need no adapting (no dates)."""
    if not rows:
        return
    meta = model._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    column_of = {field.attname: field.column for field in meta.concrete_fields}
    names = ", ".join(quote(column_of[name]) for name in columns)
    write_values(table, names, len(columns), rows)
