"""What a page shows of work a background task does: running, stale (its worker died), the share
done. Shared by the member imports and the review reports, whose models mix it in."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.utils import timezone

# A running job reports progress often (every thousand rows, every section): silence this long
# means its worker died (restarted, killed) and the job will not move on its own.
STALE_AFTER = dt.timedelta(minutes=5)


class BackgroundWork:
    """Mixed into a model with ``status``, ``created_at``, ``heartbeat_at``, ``progress_done`` and
    ``progress_total``; ``RUNNING`` names the statuses in which a task is (or should be) at work."""

    RUNNING: ClassVar[frozenset[str]] = frozenset()
    status: Any
    created_at: Any
    heartbeat_at: Any
    progress_done: Any
    progress_total: Any

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def is_stale(self) -> bool:
        return self.is_running and timezone.now() - (self.heartbeat_at or self.created_at) > STALE_AFTER

    @property
    def keeps_polling(self) -> bool:
        """The page asks again every second while a task works; a stale job waits for the user."""
        return self.is_running and not self.is_stale

    @property
    def percent(self) -> int:
        if not self.progress_total:
            return 0
        return int(min(100, self.progress_done * 100 // self.progress_total))
