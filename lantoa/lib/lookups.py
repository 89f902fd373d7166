"""``field__any_of=[…]``: membership in a long list of values, as one parameter where the
database takes one.

A province's tree is ten thousand unit ids. As ``IN (%s, %s, …)`` PostgreSQL parses and plans ten
thousand placeholders in every query (measured 50–150 ms a query on the seeded province, most of
a report's cost when its period holds few records); as ``= ANY(%s)`` with one array it takes a
third of that. Other databases get the ``IN`` list. Registered on every field when the org app
loads (``lantoa.org.apps``).

Give a long list as ``Many(values)``: Django walks a list or tuple given to a lookup value by value
(to resolve expressions, and for a foreign key to check model instances), and Django and the
driver each convert every value again; for a province's ids in the sixty queries of a report that
was 3 of its 6 seconds. Whole numbers go to PostgreSQL as one array literal.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Field, ForeignObject, Lookup


class Many:
    """Values for ``__any_of`` that Django passes through whole (see the module's note)."""

    __slots__ = ("_all_ints", "_int_array", "values")

    def __init__(self, values: Iterable[Any]) -> None:
        self.values = list(values)
        self._all_ints: bool | None = None
        self._int_array = ""

    # Both worked out once: a report's queries share their tree's lists of ids.
    def all_ints(self) -> bool:
        if self._all_ints is None:
            self._all_ints = all(type(value) is int for value in self.values)
        return self._all_ints

    def int_array(self) -> str:
        """PostgreSQL's array literal of the values (whole numbers)."""
        if not self._int_array:
            self._int_array = "{" + ",".join(map(str, self.values)) + "}"
        return self._int_array

    def __repr__(self) -> str:
        return f"Many({len(self.values)} values)"


class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        many = self.rhs if isinstance(self.rhs, Many) else Many(self.rhs)
        given = many.values
        if not given:
            return "1 = 0", list(lhs_params)
        if many.all_ints():
            if connection.vendor == "postgresql":
                return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, many.int_array()]
            values = given
        else:
            field = self.lhs.output_field
            values = [field.get_db_prep_value(value, connection) for value in given]
            if connection.vendor == "postgresql":
                return f"{lhs} = ANY(%s)", [*lhs_params, values]
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*lhs_params, *values]


def register() -> None:
    Field.register_lookup(AnyOf)
    # A foreign key keeps lookups of its own (``decision__unit__any_of`` compares the key).
    ForeignObject.register_lookup(AnyOf)
