"""Data the migrations seed, put back where a transactional test (a browser journey, a
concurrency test) flushed every table, migrated data included."""

from __future__ import annotations

from importlib import import_module

from django.apps import apps as django_apps

from lantoa.honours.models import AwardAuthority, VoteRuleSet

HONOURS_SEEDS = {
    VoteRuleSet: ("0002_seed_vote_rule_sets", "0007_seed_council_ninety_percent"),
    AwardAuthority: ("0005_seed_award_rules",),
}


def seed_honours_rules() -> None:
    """The voting and commendation rules, if a flush removed them."""
    for model, migrations in HONOURS_SEEDS.items():
        if not model.objects.exists():
            for name in migrations:
                import_module(f"lantoa.honours.migrations.{name}").seed(django_apps, None)
