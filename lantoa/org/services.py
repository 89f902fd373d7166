"""Changing the tree, people and roles. Every function checks the move, writes, and records the
audit entry in the same transaction. Views, commands, imports and the demo call these."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _

from lantoa.audit.models import AuditAction
from lantoa.audit.services import build_entry, record_create, record_update, snapshot
from lantoa.lib.text import TextProblem, check_digits, check_person_name, fold, normalize_name
from lantoa.lib.vi import format_date

from .member_dates import DATE_MESSAGES, member_date_problems
from .models import (
    CELL_KINDS,
    ActivityExemption,
    CardNumberChange,
    Membership,
    PartyMember,
    Person,
    Position,
    Role,
    RoleGrant,
    StaffBody,
    StaffBodyName,
    SuccessionKind,
    Unit,
    UnitParentage,
    UnitSuccession,
)
from .queries import children, parent_on, primary_unit, subtree_ids, valid_on
from .reference import NOT_LISTED, match_ethnicity, match_religion

UNIT_FIELDS = (
    "key",
    "name",
    "short_code",
    "kind",
    "valid_from",
    "valid_to",
    "place_name",
    "letterhead_name",
    "residential",
    "note",
)
PERSON_FIELDS = (
    "full_name",
    "birth_date",
    "gender",
    "phone",
    "ethnicity",
    "religion",
    "id_number",
    "health_note",
)
MEMBER_FIELDS = ("card_number", "admitted_on", "full_member_on", "left_on", "left_reason")
KEY_MAX = Unit._meta.get_field("key").max_length or 80

# ---------------------------------------------------------------------------------------------
# Units
# ---------------------------------------------------------------------------------------------


def _check_parent_open(parent: Unit | None, on: dt.date) -> None:
    if parent is not None and not parent.is_open_on(on):
        raise ValidationError(
            _("%(parent)s does not exist on %(date)s.") % {"parent": parent.name, "date": format_date(on)}
        )


def unit_key_from_name(name: str) -> str:
    """A free key made from the name: "Chi bộ ấp Phú Thạnh" → chi-bo-ap-phu-thanh, or
    chi-bo-ap-phu-thanh-2, -3 … when taken (one query)."""
    base = slugify(fold(name))[: KEY_MAX - 4].strip("-") or "don-vi"
    taken = set(Unit.objects.filter(key__startswith=base).values_list("key", flat=True))
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}-{n}"
    return key


@transaction.atomic
def create_unit(
    *,
    actor: Any,
    key: str = "",
    name: str,
    kind: str,
    valid_from: dt.date,
    parent: Unit | None = None,
    short_code: str = "",
    note: str = "",
    valid_to: dt.date | None = None,
    place_name: str = "",
    letterhead_name: str = "",
    residential: bool = False,
) -> Unit:
    """A new unit from ``valid_from``, under ``parent`` when given. Without a ``key`` one is made
    from the name (:func:`unit_key_from_name`)."""
    key = key.strip() or unit_key_from_name(name)
    if Unit.objects.filter(key=key).exists():
        raise ValidationError({"key": _("The key %(key)s is already used by another unit.") % {"key": key}})
    _check_parent_open(parent, valid_from)
    unit = Unit(
        key=key,
        name=normalize_name(name),
        kind=kind,
        valid_from=valid_from,
        valid_to=valid_to,
        short_code=short_code.strip(),
        place_name=place_name.strip(),
        letterhead_name=letterhead_name.strip(),
        residential=residential,
        note=note,
    )
    unit.search_text = fold(unit.name)
    unit.full_clean()
    unit.save()
    if parent is not None:
        UnitParentage.objects.create(unit=unit, parent=parent, valid_from=valid_from, valid_to=valid_to)
    record_create(actor=actor, obj=unit, fields=UNIT_FIELDS, unit=unit)
    return unit


@transaction.atomic
def update_unit(*, actor: Any, unit: Unit, **changes: Any) -> Unit:
    """Change a unit's own fields (name, codes, kind, note). Dates and parents have their own moves."""
    allowed = {"name", "short_code", "kind", "note", "place_name", "letterhead_name", "residential"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"update_unit cannot change {sorted(unknown)}")
    before = snapshot(unit, UNIT_FIELDS)
    for name, value in changes.items():
        setattr(unit, name, normalize_name(value) if name == "name" else value)
    unit.search_text = fold(unit.name)
    unit.full_clean()
    unit.save()
    record_update(actor=actor, obj=unit, before=before, fields=UNIT_FIELDS, unit=unit)
    return unit


@transaction.atomic
def move_unit(*, actor: Any, unit: Unit, new_parent: Unit, on: dt.date) -> UnitParentage:
    """From ``on`` the unit hangs under ``new_parent`` (e.g. 1/7/2025: communes → province)."""
    if new_parent.pk == unit.pk:
        raise ValidationError(_("A unit cannot be placed under itself."))
    if not unit.is_open_on(on):
        raise ValidationError(
            _("%(unit)s does not exist on %(date)s.") % {"unit": unit.name, "date": format_date(on)}
        )
    _check_parent_open(new_parent, on)
    if new_parent.pk in subtree_ids(unit, on):
        raise ValidationError(_("A unit cannot be placed under one of its own sub-units."))
    current = (
        UnitParentage.objects.filter(unit=unit, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .select_related("parent")
        .first()
    )
    old_parent_name = current.parent.name if current else ""
    if current is not None:
        if current.parent_id == new_parent.pk:
            raise ValidationError(
                _("%(unit)s is already under %(parent)s.") % {"unit": unit, "parent": new_parent}
            )
        if current.valid_from == on:
            current.delete()
        else:
            current.valid_to = on - dt.timedelta(days=1)
            current.save(update_fields=["valid_to"])
    if UnitParentage.objects.filter(unit=unit, valid_from__gt=on).exists():
        raise ValidationError(_("This unit already has a later move recorded; change that one first."))
    link = UnitParentage.objects.create(unit=unit, parent=new_parent, valid_from=on, valid_to=unit.valid_to)
    entry_changes: dict[str, list[Any]] = {
        "parent": [old_parent_name, new_parent.name],
        "from": [None, format_date(on)],
    }
    _record(actor, unit, entry_changes, note=_("Moved"))
    return link


def _record(actor: Any, unit: Unit, changes: dict[str, list[Any]], note: str = "") -> None:
    build_entry(
        actor=actor, action=AuditAction.UPDATE, obj=unit, unit=unit, changes=changes, note=note
    ).save()


def _children_and_members_after(unit: Unit, last_day: dt.date) -> tuple[int, int]:
    """Sub-units and members still (or later) in ``unit`` after ``last_day``: not only those of
    the day after, a link or membership recorded to start later would outlive the unit too."""
    after = Q(valid_to__isnull=True) | Q(valid_to__gt=last_day)
    open_children = UnitParentage.objects.filter(after, parent=unit).values("unit_id").distinct().count()
    open_members = Membership.objects.filter(after, unit=unit).values("member_id").distinct().count()
    return open_children, open_members


@transaction.atomic
def close_unit(*, actor: Any, unit: Unit, last_day: dt.date, reason: str = "") -> Unit:
    """The unit ends on ``last_day``. Its sub-units and members must have moved first."""
    if last_day < unit.valid_from:
        raise ValidationError(_("A unit cannot close before it was created."))
    if UnitParentage.objects.filter(unit=unit, valid_from__gt=last_day).exists():
        raise ValidationError(_("This unit already has a later move recorded; change that one first."))
    open_children, open_members = _children_and_members_after(unit, last_day)
    if open_children or open_members:
        raise ValidationError(
            _(
                "%(unit)s still has %(children)d sub-units and %(members)d members after %(date)s; "
                "move or merge them first."
            )
            % {
                "unit": unit.name,
                "children": open_children,
                "members": open_members,
                "date": format_date(last_day),
            }
        )
    before = snapshot(unit, UNIT_FIELDS)
    unit.valid_to = last_day
    unit.save(update_fields=["valid_to"])
    UnitParentage.objects.filter(unit=unit).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=last_day)
    ).update(valid_to=last_day)
    record_update(actor=actor, obj=unit, before=before, fields=UNIT_FIELDS, unit=unit, note=reason)
    return unit


@transaction.atomic
def merge_units(
    *,
    actor: Any,
    sources: list[Unit],
    target: Unit,
    on: dt.date,
    kind: str = SuccessionKind.MERGE,
    note: str = "",
) -> Unit:
    """From ``on`` the sources' sub-units and members belong to ``target``; the sources close the
    day before and are linked to the target as predecessors (their history stays with them)."""
    if not sources:
        raise ValidationError(_("Choose at least one unit to merge."))
    if any(src.pk == target.pk for src in sources):
        raise ValidationError(_("A unit cannot be merged into itself."))
    if not target.is_open_on(on):
        raise ValidationError(
            _("%(unit)s does not exist on %(date)s.") % {"unit": target.name, "date": format_date(on)}
        )
    if target.kind not in CELL_KINDS and any(
        Membership.objects.filter(valid_on(on), unit=src).exists() for src in sources
    ):
        raise ValidationError(_("Members can only move into a cell; merge cells into a cell."))
    last_day = on - dt.timedelta(days=1)
    for src in sources:
        if not src.is_open_on(last_day):
            raise ValidationError(
                _("%(unit)s does not exist on %(date)s.") % {"unit": src.name, "date": format_date(last_day)}
            )
        for child in children(src, on):
            move_unit(actor=actor, unit=child, new_parent=target, on=on)
        for membership in Membership.objects.filter(valid_on(on), unit=src):
            transfer_member(actor=actor, member=membership.member, to_unit=target, on=on, note=note)
        close_unit(actor=actor, unit=src, last_day=last_day, reason=note or _("Merged"))
        UnitSuccession.objects.create(predecessor=src, successor=target, on_date=on, kind=kind, note=note)
    return target


@transaction.atomic
def add_staff_body(
    *, actor: Any, committee: Unit, kind: str, name: str, code: str, valid_from: dt.date
) -> StaffBody:
    body, _created = StaffBody.objects.get_or_create(committee=committee, kind=kind)
    rename_staff_body(actor=actor, staff_body=body, name=name, code=code, on=valid_from)
    return body


@transaction.atomic
def rename_staff_body(
    *, actor: Any, staff_body: StaffBody, name: str, code: str, on: dt.date
) -> StaffBodyName:
    """From ``on`` the body has a new name and code (Ban Tuyên giáo → Ban Tuyên giáo và Dân vận).
    A second name on the same day corrects the first; a name recorded for a later day must be
    changed first (two open names would leave the body's name on a date undecided)."""
    names = StaffBodyName.objects.filter(staff_body=staff_body)
    if names.filter(valid_from__gt=on).exists():
        raise ValidationError(_("This staff body already has a later name recorded; change that one first."))
    names.filter(valid_from=on).delete()
    names.filter(valid_to__isnull=True, valid_from__lt=on).update(valid_to=on - dt.timedelta(days=1))
    entry = StaffBodyName.objects.create(staff_body=staff_body, name=name, code=code, valid_from=on)
    _record(
        actor,
        staff_body.committee,
        {"staff_body": [None, f"{name} ({code})"], "from": [None, format_date(on)]},
        note=_("Staff body name"),
    )
    return entry


# ---------------------------------------------------------------------------------------------
# People and members
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def _check_person(person: Person) -> None:
    """The rules every path that records a person shares (lib.text, org.reference,
    org.member_dates): a name of letters, an ethnicity and a religion from the official lists
    (stored as the lists write them), a date of birth that can be."""
    errors: dict[str, list[str]] = {}
    person.full_name = normalize_name(person.full_name)
    try:
        check_person_name(person.full_name)
    except TextProblem as exc:
        errors["full_name"] = [capfirst(exc.message)]
    for name, match in (("ethnicity", match_ethnicity), ("religion", match_religion)):
        value = getattr(person, name)
        if value:
            listed = match(value)
            if listed is None:
                message = NOT_LISTED[name] % {"value": value}
                errors[name] = [capfirst(message)]
            else:
                setattr(person, name, listed)
    member = getattr(person, "party_member", None) if person.pk else None
    for field_name, code, params in member_date_problems(
        birth=person.birth_date,
        admitted=member.admitted_on if member else None,
        full=None,
        today=timezone.localdate(),
    ):
        target = "birth_date" if field_name == "admitted_on" else field_name
        errors.setdefault(target, []).append(capfirst(str(DATE_MESSAGES[code]) % params))
    if errors:
        raise ValidationError(errors)


def create_person(*, actor: Any, unit: Unit | None = None, **fields: Any) -> Person:
    person = Person(registered_unit=unit, **fields)
    _check_person(person)
    person.search_text = fold(person.full_name)
    person.full_clean(exclude=["user", "registered_unit"])
    person.save()
    record_create(actor=actor, obj=person, fields=PERSON_FIELDS, unit=unit)
    return person


@transaction.atomic
def update_person(*, actor: Any, person: Person, **changes: Any) -> Person:
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise ValueError(f"update_person cannot change {sorted(unknown)}")
    before = snapshot(person, PERSON_FIELDS)
    for name, value in changes.items():
        setattr(person, name, value)
    _check_person(person)
    person.search_text = fold(person.full_name)
    person.full_clean(exclude=["user", "registered_unit"])
    person.save()
    record_update(actor=actor, obj=person, before=before, fields=PERSON_FIELDS, unit=primary_unit(person))
    return person


def _check_card_free(card_number: str | None, member: PartyMember | None = None) -> None:
    if not card_number:
        return
    clash = PartyMember.objects.filter(card_number=card_number)
    if member is not None:
        clash = clash.exclude(pk=member.pk)
    if clash.exists():
        raise ValidationError(
            {
                "card_number": _("Party card number %(number)s belongs to another member.")
                % {"number": card_number}
            }
        )


def _check_membership_dates(
    admitted_on: dt.date, full_member_on: dt.date | None, birth: dt.date | None
) -> None:
    """The Party's rules on a member's dates (org.member_dates), as the import checks them."""
    errors: dict[str, list[str]] = {}
    for field_name, code, params in member_date_problems(
        birth=birth, admitted=admitted_on, full=full_member_on, today=timezone.localdate()
    ):
        errors.setdefault(field_name, []).append(capfirst(str(DATE_MESSAGES[code]) % params))
    if errors:
        raise ValidationError(errors)


def _check_card_number(card_number: str | None) -> None:
    try:
        check_digits(card_number or "")
    except TextProblem as exc:
        raise ValidationError({"card_number": capfirst(exc.message)}) from exc


@transaction.atomic
def admit_member(
    *,
    actor: Any,
    person: Person,
    cell: Unit,
    admitted_on: dt.date,
    joined_cell_on: dt.date | None = None,
    card_number: str | None = None,
    full_member_on: dt.date | None = None,
) -> PartyMember:
    """Record a person as a party member belonging to ``cell``."""
    if cell.kind not in CELL_KINDS:
        raise ValidationError({"unit": _("Members belong to a cell, not to %(unit)s.") % {"unit": cell.name}})
    if PartyMember.objects.filter(person=person).exists():
        raise ValidationError(_("%(name)s is already a party member.") % {"name": person.full_name})
    _check_membership_dates(admitted_on, full_member_on, person.birth_date)
    _check_card_number(card_number)
    _check_card_free(card_number)
    member = PartyMember.objects.create(
        person=person, card_number=card_number or None, admitted_on=admitted_on, full_member_on=full_member_on
    )
    Membership.objects.create(member=member, unit=cell, valid_from=joined_cell_on or admitted_on)
    record_create(actor=actor, obj=member, fields=MEMBER_FIELDS, unit=cell)
    return member


@transaction.atomic
def update_member(*, actor: Any, member: PartyMember, **changes: Any) -> PartyMember:
    allowed = {"admitted_on", "full_member_on", "left_on", "left_reason"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"update_member cannot change {sorted(unknown)} (card numbers: change_card_number)")
    before = snapshot(member, MEMBER_FIELDS)
    for name, value in changes.items():
        setattr(member, name, value)
    _check_membership_dates(member.admitted_on, member.full_member_on, member.person.birth_date)
    member.save()
    record_update(
        actor=actor, obj=member, before=before, fields=MEMBER_FIELDS, unit=primary_unit(member.person)
    )
    return member


@transaction.atomic
def change_card_number(
    *, actor: Any, member: PartyMember, new_number: str, on: dt.date, reason: str = ""
) -> CardNumberChange:
    """A re-issued card: the new number becomes current, the old one stays in the history."""
    new_number = new_number.strip()
    if not new_number:
        raise ValidationError({"card_number": _("Enter the new card number.")})
    if new_number == member.card_number:
        raise ValidationError({"card_number": _("This is already the member's card number.")})
    _check_card_number(new_number)
    _check_card_free(new_number, member)
    before = snapshot(member, MEMBER_FIELDS)
    change = CardNumberChange.objects.create(
        member=member,
        old_number=member.card_number or "",
        new_number=new_number,
        changed_on=on,
        reason=reason,
    )
    member.card_number = new_number
    member.save(update_fields=["card_number"])
    record_update(
        actor=actor,
        obj=member,
        before=before,
        fields=MEMBER_FIELDS,
        unit=primary_unit(member.person),
        note=reason,
    )
    return change


@transaction.atomic
def transfer_member(
    *, actor: Any, member: PartyMember, to_unit: Unit, on: dt.date, note: str = ""
) -> Membership:
    """From ``on`` the member belongs to ``to_unit`` (chuyển sinh hoạt đảng)."""
    if to_unit.kind not in CELL_KINDS:
        raise ValidationError(
            {"unit": _("Members belong to a cell, not to %(unit)s.") % {"unit": to_unit.name}}
        )
    if not to_unit.is_open_on(on):
        raise ValidationError(
            _("%(unit)s does not exist on %(date)s.") % {"unit": to_unit.name, "date": format_date(on)}
        )
    current = Membership.objects.filter(valid_on(on), member=member).select_related("unit").first()
    old_name = current.unit.name if current else ""
    if current is not None:
        if current.unit_id == to_unit.pk:
            raise ValidationError(_("The member already belongs to %(unit)s.") % {"unit": to_unit.name})
        if current.valid_from == on:
            current.delete()
        else:
            current.valid_to = on - dt.timedelta(days=1)
            current.save(update_fields=["valid_to"])
    membership = Membership.objects.create(member=member, unit=to_unit, valid_from=on, note=note)
    build_entry(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=member,
        unit=to_unit,
        changes={"cell": [old_name, to_unit.name], "from": [None, format_date(on)]},
        note=note or _("Transferred"),
    ).save()
    return membership


@transaction.atomic
def set_exemption(
    *, actor: Any, member: PartyMember, valid_from: dt.date, valid_to: dt.date | None, reason: str
) -> ActivityExemption:
    if valid_to is not None and valid_to < valid_from:
        raise ValidationError({"valid_to": _("The end date is before the start date.")})
    exemption = ActivityExemption.objects.create(
        member=member, valid_from=valid_from, valid_to=valid_to, reason=reason
    )
    record_create(
        actor=actor,
        obj=exemption,
        fields=("valid_from", "valid_to", "reason"),
        unit=primary_unit(member.person),
    )
    return exemption


@transaction.atomic
def appoint(
    *,
    actor: Any,
    person: Person,
    unit: Unit,
    title: str,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
) -> Position:
    if valid_to is not None and valid_to < valid_from:
        raise ValidationError({"valid_to": _("The end date is before the start date.")})
    position = Position(person=person, unit=unit, title=title, valid_from=valid_from, valid_to=valid_to)
    position.full_clean()
    position.save()
    record_create(
        actor=actor, obj=position, fields=("person", "unit", "title", "valid_from", "valid_to"), unit=unit
    )
    return position


@transaction.atomic
def end_position(*, actor: Any, position: Position, last_day: dt.date) -> Position:
    if last_day < position.valid_from:
        raise ValidationError(_("A post cannot end before it began."))
    before = snapshot(position, ("valid_to",))
    position.valid_to = last_day
    position.save(update_fields=["valid_to"])
    record_update(actor=actor, obj=position, before=before, fields=("valid_to",), unit=position.unit)
    return position


# ---------------------------------------------------------------------------------------------
# Roles
# ---------------------------------------------------------------------------------------------


# Roles that belong to a committee's offices (thường trực, ban tuyên giáo, hội đồng): never a cell's.
COMMITTEE_ROLES = frozenset({Role.STANDING, Role.PROPAGANDA, Role.COUNCIL})


def check_role_fits_unit(role: str, unit: Unit) -> None:
    """A committee's roles go on committees and the plain member's on a cell; the rest anywhere.
    Raises a ValidationError on ``role``."""
    if role in COMMITTEE_ROLES and not (unit.is_party and not unit.is_cell):
        raise ValidationError(
            {
                "role": _("“%(role)s” is a role of a Party committee, not of %(unit)s.")
                % {"role": Role(role).label, "unit": unit.name}
            }
        )
    if role == Role.MEMBER and not unit.is_cell:
        raise ValidationError(
            {
                "role": _("A party member's role is given on their cell, not on %(unit)s.")
                % {"unit": unit.name}
            }
        )


@transaction.atomic
def grant_role(
    *, actor: Any, user: Any, unit: Unit, role: str, valid_from: dt.date, valid_to: dt.date | None = None
) -> RoleGrant:
    if valid_to is not None and valid_to < valid_from:
        raise ValidationError({"valid_to": _("The end date is before the start date.")})
    check_role_fits_unit(role, unit)
    grant = RoleGrant(user=user, unit=unit, role=role, valid_from=valid_from, valid_to=valid_to)
    grant.full_clean()
    grant.save()
    record_create(
        actor=actor, obj=grant, fields=("user", "unit", "role", "valid_from", "valid_to"), unit=unit
    )
    return grant


def may_end_role(actor: Any, grant: RoleGrant) -> bool:
    """Nobody ends their own administrator role: another administrator must, so the system is
    never left without one by a slip of the finger."""
    return not (grant.role == Role.ADMIN and getattr(actor, "pk", None) == grant.user_id)


@transaction.atomic
def end_role(*, actor: Any, grant: RoleGrant, last_day: dt.date) -> RoleGrant:
    if not may_end_role(actor, grant):
        raise ValidationError(
            _("You cannot end your own administrator role: another administrator must end it.")
        )
    before = snapshot(grant, ("valid_to",))
    grant.valid_to = max(last_day, grant.valid_from)
    grant.save(update_fields=["valid_to"])
    record_update(actor=actor, obj=grant, before=before, fields=("valid_to",), unit=grant.unit)
    return grant


def parent_name_on(unit: Unit, on: dt.date) -> str:
    parent = parent_on(unit, on)
    return parent.name if parent else ""
