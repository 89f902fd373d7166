"""Browser journeys: Debian's Chromium driven by Playwright against Django's live server.

Playwright's own browser download is blocked on these machines, so the session launches
/usr/bin/chromium with the flags that keep it off the network.
"""

from __future__ import annotations

import os
import shutil

import pytest
from playwright.sync_api import Page

from . import world
from .world import ChauThanh

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from the
# test body are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("LANTOA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make system-deps` (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh"}


# ---------------------------------------------------------------------------------------------
# Shared steps and data for the journeys
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def page(page: Page) -> Page:
    """Pages answer in well under a second here: fail a step after 10 s, not Playwright's 30."""
    page.set_default_timeout(10_000)
    return page


@pytest.fixture
def chau_thanh(transactional_db: None) -> ChauThanh:
    """The district with its communes, cells, members, terms and the two demo logins."""
    return world.build()
