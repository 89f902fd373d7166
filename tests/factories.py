"""Factories without surprises: each makes exactly the row it names, with plain defaults."""

from __future__ import annotations

import datetime as dt

import factory

from lantoa.accounts.models import User
from lantoa.lib.text import fold
from lantoa.org.models import (
    Membership,
    PartyMember,
    Person,
    Position,
    PositionTitle,
    Role,
    RoleGrant,
    Unit,
    UnitKind,
    UnitParentage,
)

D = dt.date


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        skip_postgeneration_save = True

    key = factory.Sequence(lambda n: f"unit-{n}")
    name = factory.Sequence(lambda n: f"Chi bộ số {n}")
    kind = UnitKind.CELL
    short_code = "CB"
    valid_from = D(2000, 1, 1)
    search_text = factory.LazyAttribute(lambda o: fold(o.name))

    @factory.post_generation
    def parent(self, create: bool, extracted: Unit | None, **kwargs: object) -> None:
        if create and extracted is not None:
            UnitParentage.objects.create(
                unit=self,
                parent=extracted,
                valid_from=kwargs.get("valid_from", self.valid_from),
                valid_to=self.valid_to,
            )


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    birth_date = D(1980, 5, 1)
    gender = "M"
    search_text = factory.LazyAttribute(lambda o: fold(o.full_name))


class PartyMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartyMember

    person = factory.SubFactory(PersonFactory)
    card_number = factory.Sequence(lambda n: f"{80000000 + n}")
    admitted_on = D(2010, 3, 2)
    full_member_on = D(2011, 3, 2)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    member = factory.SubFactory(PartyMemberFactory)
    unit = factory.SubFactory(UnitFactory)
    valid_from = D(2015, 1, 1)


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    person = factory.SubFactory(PersonFactory)
    unit = factory.SubFactory(UnitFactory)
    title = PositionTitle.SECRETARY
    valid_from = D(2020, 1, 1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("test-password-123")


class RoleGrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleGrant

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    role = Role.SECRETARY
    valid_from = D(2020, 1, 1)


def member_in(
    cell: Unit, *, name: str | None = None, since: dt.date = dt.date(2015, 1, 1), **member_kwargs: object
) -> PartyMember:
    """A party member belonging to ``cell`` since ``since``."""
    person = PersonFactory(**({"full_name": name} if name else {}))
    member = PartyMemberFactory(person=person, **member_kwargs)
    MembershipFactory(member=member, unit=cell, valid_from=since)
    return member
