"""Which tests depend on today's date, so that `make test` can run them again on other days.

A test depends on today when the code it runs asks for it (``timezone.localdate``, through
which Lan Tỏa reads "today" everywhere), except for the one check every request makes: whether
the user's role grants are open today (``org.access.active_grants``). Counted, it made every
view test "dated" while the suite's grants run from 2020 without end; the grant check's own
dates are tested at their edges (``tests/org/test_access.py``). The main run records those tests as it goes
(``LANTOA_RECORD_DATED=<file>``); the runs pinned to other days (``LANTOA_TEST_TODAY``) then
take only the recorded tests (``LANTOA_ONLY_DATED=<file>``). The list is made afresh by every
run, so a new test that reads today joins the pinned runs without anyone listing it. A test
pinned to a day of its own (``@pytest.mark.today``) is not recorded: it reads that day on any run.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

GRANT_CHECK = os.path.join("lantoa", "org", "access.py")


class DatedTests:
    def __init__(self, config: pytest.Config) -> None:
        self.record_to = os.environ.get("LANTOA_RECORD_DATED")
        self.only_from = os.environ.get("LANTOA_ONLY_DATED")
        self.is_worker = hasattr(config, "workerinput")
        self.current: str | None = None
        self.dated: set[str] = set()
        if self.record_to:
            self._wrap_localdate()

    def _wrap_localdate(self) -> None:
        original: Callable[..., Any] = timezone.localdate

        def localdate(*args: Any, **kwargs: Any) -> Any:
            if self.current and not args and not kwargs.get("value"):
                caller = sys._getframe(1).f_code
                if caller.co_name != "active_grants" or not caller.co_filename.endswith(GRANT_CHECK):
                    self.dated.add(self.current)
            return original(*args, **kwargs)

        timezone.localdate = localdate

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        if self.record_to and not self.is_worker:
            Path(self.record_to).write_text("")

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item, nextitem: pytest.Item | None) -> Any:
        # A test pinned to its own day (``@pytest.mark.today``, on it or its module) reads that
        # day on every run: running it again on the pinned days would only repeat it.
        self.current = None if item.get_closest_marker("today") else item.nodeid
        try:
            return (yield)
        finally:
            self.current = None

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.record_to and self.dated:
            # Workers append to the same file; one write of a few kilobytes each.
            with open(self.record_to, "a") as out:
                out.write("".join(f"{nodeid}\n" for nodeid in sorted(self.dated)))

    def pytest_collection_modifyitems(self, config: pytest.Config, items: list[pytest.Item]) -> None:
        if not self.only_from or not Path(self.only_from).exists():
            return
        wanted = set(Path(self.only_from).read_text().split())
        keep = [item for item in items if item.nodeid in wanted]
        config.hook.pytest_deselected(items=[item for item in items if item.nodeid not in wanted])
        items[:] = keep
