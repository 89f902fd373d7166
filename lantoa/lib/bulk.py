"""Fast bulk inserts and updates for large writes: imports and the demo (SQLite and PostgreSQL).

Why not ``bulk_create``: for 100 000 members an import writes half a million rows (people,
members, memberships, audit entries). ``bulk_create`` builds a model instance per row and runs
every value through its field's ``get_db_prep_save`` and the SQL compiler; on SQLite it also
caps a statement at 999 parameters. Measured on the benchmark (bench/RESULTS.md) that was
50 s of a 72 s import. Here rows are plain dicts, each column's adapter is chosen once, ids
are allocated up front (so related rows can point at them without reading them back), and rows
go to the database with one ``executemany`` (SQLite) or ``COPY`` (PostgreSQL) per table.

Defaults still come from the model: a column missing from a row gets its field's default
(called per row when callable, e.g. ``uuid4``), ``auto_now``/``auto_now_add`` get the same
"now" for the whole import. The database enforces constraints as for any insert.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection, models
from django.utils import timezone

Row = dict[str, Any]


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector during bulk work.

    Checking and writing 100 000 rows keeps a few million small dicts, tuples and strings alive,
    none of them in reference cycles; the cycle collector would walk them over and over, which
    measured a fifth of an import's time (bench/RESULTS.md). Reference counting still frees
    everything. Nested uses leave the collector as the outermost found it.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` new primary keys for ``model``, reserved for this transaction.

    PostgreSQL: taken from the table's sequence (safe alongside other writers). SQLite: after
    the highest id ever used (AUTOINCREMENT never reuses one); safe because Lan Tỏa opens SQLite
    transactions as IMMEDIATE (settings.py), so no one else writes until we commit.
    """
    if count <= 0:
        return []
    if not connection.in_atomic_block:
        raise RuntimeError("allocate ids inside the transaction that inserts the rows")
    table = model._meta.db_table
    pk_column = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk_column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        if connection.vendor != "sqlite":
            raise NotImplementedError(f"bulk writes are not written for {connection.vendor}")
        quoted = connection.ops.quote_name(table)
        cursor.execute(f"SELECT COALESCE(MAX({connection.ops.quote_name(pk_column)}), 0) FROM {quoted}")  # noqa: S608
        highest = cursor.fetchone()[0]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        used = cursor.fetchone()
        start = max(highest, used[0] if used else 0) + 1
    return list(range(start, start + count))


def _adapter(field: models.Field) -> Callable[[Any], Any] | None:
    """How one column's Python values become what the driver expects, decided once; None when
    the driver takes them as they are."""
    internal = field.get_internal_type()
    ops = connection.ops
    if internal == "DateField":
        return lambda value: None if value is None else ops.adapt_datefield_value(value)
    if internal == "DateTimeField":
        return lambda value: None if value is None else ops.adapt_datetimefield_value(value)
    if internal == "TimeField":
        return lambda value: None if value is None else ops.adapt_timefield_value(value)
    if internal == "FileField":  # an instance's FieldFile, or the stored name itself
        return lambda value: getattr(value, "name", value) or ""
    if internal == "DecimalField":
        return lambda value: None if value is None else ops.adapt_decimalfield_value(value)
    if internal == "JSONField":
        encoder = getattr(field, "encoder", None)
        return lambda value: None if value is None else ops.adapt_json_value(value, encoder)
    if internal == "UUIDField" and not connection.features.has_native_uuid_field:
        return lambda value: None if value is None else value.hex  # as Django stores it: 32 hex digits
    return None


def _raw_values(field: models.Field, rows: Sequence[Row]) -> list[Any]:
    name = field.attname
    if name in rows[0]:
        try:
            return [row[name] for row in rows]
        except KeyError:
            pass  # some rows leave it out: their default below
    if field.has_default() and callable(field.default):
        make = field.default
        return [row[name] if name in row else make() for row in rows]
    if field.has_default():
        default = field.get_default()
    else:
        default = None if field.null or not field.empty_strings_allowed else ""
    return [row.get(name, default) for row in rows]


def _constant(field: models.Field, constants: Row, count: int) -> list[Any]:
    adapt = _adapter(field)
    value = constants[field.attname]
    return [value if adapt is None else adapt(value)] * count


def _column(field: models.Field, rows: Sequence[Row], now: Any) -> list[Any]:
    """One column of values for ``rows``, defaults filled in, adapted for the driver."""
    adapt = _adapter(field)
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return [now if adapt is None else adapt(now)] * len(rows)
    values = _raw_values(field, rows)
    return values if adapt is None else [adapt(value) for value in values]


# Rows turned into driver values at a time: the columns and tuples built for a batch are two
# more copies of it, so a large write is not held in memory three times over.
INSERT_BATCH = 10_000


def insert_rows(model: type[models.Model], rows: Sequence[Row], constants: Row | None = None) -> None:
    """Insert ``rows`` (attname → value, including the primary key) into ``model``'s table;
    ``constants`` are values shared by every row (given once, not copied into each)."""
    if not rows:
        return
    now = timezone.now()
    constants = constants or {}
    fields = list(model._meta.concrete_fields)
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    for start in range(0, len(rows), INSERT_BATCH):
        batch = rows[start : start + INSERT_BATCH]
        # Column by column: a list comprehension per column is much cheaper than a call per value.
        columns = [
            _column(field, batch, now)
            if field.attname not in constants
            else _constant(field, constants, len(batch))
            for field in fields
        ]
        values = list(zip(*columns, strict=True))
        del columns
        write_values(table, names, len(fields), values)


def write_values(table: str, names: str, width: int, values: Sequence[Sequence[Any]]) -> None:
    """Rows of ``width`` values into the quoted ``table`` and ``names``: ``COPY`` on PostgreSQL
    (several times faster than INSERT for this many rows), one ``executemany`` elsewhere."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for value in values:
                    copy.write_row(value)
        else:
            placeholders = ", ".join(["%s"] * width)
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", values)  # noqa: S608


def insert_objects(model: type[models.Model], objects: Sequence[models.Model]) -> None:
    """``bulk_create`` for many unsaved instances, through ``insert_rows``: each object without a
    primary key gets one (set on the object, so later rows can point at it), and its concrete
    fields are written as they stand on the instance (defaults were applied when it was made).
    No ``save()``, no signals: for generated data (the demo) that services would write one by one.
    """
    if not objects:
        return
    missing = [obj for obj in objects if obj.pk is None]
    for obj, pk in zip(missing, allocate_ids(model, len(missing)), strict=True):
        obj.pk = pk
    for obj in objects:
        # As bulk_create does: a foreign key set to an object saved since takes that object's id.
        obj._prepare_related_fields_for_save(operation_name="insert_objects")  # type: ignore[attr-defined]
    names = [field.attname for field in model._meta.concrete_fields]
    insert_rows(model, [{name: getattr(obj, name) for name in names} for obj in objects])
    for obj in objects:
        obj._state.adding = False
        obj._state.db = connection.alias


def update_rows(
    model: type[models.Model], field_names: Iterable[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    """``UPDATE … SET f1 = …, f2 = … WHERE pk = …`` for each row ``(pk, f1, f2, …)``, as one
    ``executemany``: unlike ``bulk_update`` no CASE over the whole batch."""
    if not rows:
        return
    meta = model._meta
    fields = [field for name in field_names if isinstance(field := meta.get_field(name), models.Field)]
    adapters = [_adapter(field) or (lambda value: value) for field in fields]
    assignments = ", ".join(f"{connection.ops.quote_name(str(field.column))} = %s" for field in fields)
    sql = (
        f"UPDATE {connection.ops.quote_name(meta.db_table)} SET {assignments} "  # noqa: S608
        f"WHERE {connection.ops.quote_name(meta.pk.column)} = %s"
    )
    values = [
        (*(adapt(value) for adapt, value in zip(adapters, row[1:], strict=True)), row[0]) for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)


# Tables whose row count changes by orders of magnitude in one bulk write: a plan made on their
# old statistics (often "empty") nests loops over thousands of rows and can run for minutes.
def refresh_planner_statistics(*written: type[models.Model]) -> None:
    """PostgreSQL: ``ANALYZE`` the tables of ``written`` (every table when none is named), so
    that queries after a bulk write are planned for the rows it wrote. Run it inside the same
    transaction, before the first query that reads them: ANALYZE counts the transaction's own
    uncommitted rows, autovacuum does not. SQLite plans without statistics; nothing to do.

    "Every table" means Lan Tỏa's own tables, never a bare ``ANALYZE``: that one also analyses
    the catalogs shared by every database of the server, and waits (a CI run hung for eight
    minutes) behind any other database's session that holds a lock on them."""
    if connection.vendor != "postgresql":
        return
    if written:
        names = [model._meta.db_table for model in written]
    else:
        names = connection.introspection.django_table_names(only_existing=True, include_views=False)
    tables = ", ".join(connection.ops.quote_name(name) for name in sorted(set(names)))
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")
