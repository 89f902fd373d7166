"""The database itself refuses to change a ledger entry (the model and its queryset refuse too):
an append-only ledger must not depend on every caller going through the model. Deleting is left
to the foreign keys (PROTECT) so that a test database can still be emptied between tests."""

from django.db import migrations

SQLITE = (
    "CREATE TRIGGER funds_ledger_append_only BEFORE UPDATE ON funds_ledgerentry "
    "BEGIN SELECT RAISE(ABORT, 'funds_ledgerentry is append-only'); END;",
    "DROP TRIGGER IF EXISTS funds_ledger_append_only;",
)
POSTGRESQL = (
    """
    CREATE FUNCTION funds_ledger_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'funds_ledgerentry is append-only';
    END;
    $$ LANGUAGE plpgsql;
    CREATE TRIGGER funds_ledger_append_only BEFORE UPDATE ON funds_ledgerentry
        FOR EACH ROW EXECUTE FUNCTION funds_ledger_append_only();
    """,
    "DROP TRIGGER IF EXISTS funds_ledger_append_only ON funds_ledgerentry; "
    "DROP FUNCTION IF EXISTS funds_ledger_append_only();",
)


def forwards(apps, schema_editor):
    sql = {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql[0])


def backwards(apps, schema_editor):
    sql = {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql[1])


class Migration(migrations.Migration):
    dependencies = [("funds", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
