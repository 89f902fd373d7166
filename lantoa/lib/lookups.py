"""``field__any_of=[…]``: membership in a long list of values, as one parameter where the
database takes one.

A province's tree is ten thousand unit ids. As ``IN (%s, %s, …)`` PostgreSQL parses and plans ten
thousand placeholders in every query (measured 50–150 ms a query on the seeded province, most of
a report's cost when its period holds few records); as ``= ANY(%s)`` with one array it takes a
third of that. Other databases get the ``IN`` list. Registered on every field when the org app
loads (``lantoa.org.apps``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Field, ForeignObject, Lookup


class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        field = self.lhs.output_field
        values = [field.get_db_prep_value(value, connection) for value in self.rhs]
        if not values:
            return "1 = 0", list(lhs_params)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*lhs_params, values]
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*lhs_params, *values]


def register() -> None:
    Field.register_lookup(AnyOf)
    # A foreign key keeps lookups of its own (``decision__unit__any_of`` compares the key).
    ForeignObject.register_lookup(AnyOf)
