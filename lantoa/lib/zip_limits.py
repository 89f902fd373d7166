"""Refusing a zip archive (.xlsx, .docx) that would unfold far beyond what its content needs, a
"zip bomb", before anything parses it.

The check reads only the sizes the zip directory declares: Python's zipfile never unpacks more
than a part's declared size (a part that would is reported damaged), so the declared sizes bound
what any later reader can be made to hold.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

MEGABYTE = 1024 * 1024


class ArchiveUnreadable(Exception):
    """Not a zip archive at all."""


class ArchiveTooLarge(Exception):
    """Too many parts, a part too large, too large in all, or packed too tightly."""


@dataclass(frozen=True)
class ZipLimits:
    max_parts: int
    max_total_bytes: int
    # The largest a part may unfold to, given its name (a reader may hold some parts whole).
    max_part_bytes: Callable[[str], int]
    # Parts over a megabyte packed tighter than this are padding: text and XML pack ten to
    # fifteen to one, whitespace a thousand to one.
    max_packing_ratio: int = 150


def check_archive(stream: IO[bytes], limits: ZipLimits) -> None:
    """Raise ``ArchiveUnreadable`` or ``ArchiveTooLarge``; the stream is rewound either way."""
    try:
        with zipfile.ZipFile(stream) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ArchiveUnreadable from exc
    finally:
        stream.seek(0)
    if len(parts) > limits.max_parts:
        raise ArchiveTooLarge
    total = 0
    for part in parts:
        total += part.file_size
        ratio = part.file_size / max(part.compress_size, 1)
        if (
            part.file_size > limits.max_part_bytes(part.filename)
            or total > limits.max_total_bytes
            or (part.file_size > MEGABYTE and ratio > limits.max_packing_ratio)
        ):
            raise ArchiveTooLarge
