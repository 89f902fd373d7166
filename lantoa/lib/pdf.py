"""Turn a .docx into PDF with LibreOffice (``soffice --headless --convert-to pdf``).

Each conversion runs its own LibreOffice with a private, throw-away profile
(``-env:UserInstallation=file:///tmp/...``): two conversions at the same time, or one started as
root next to a desktop session, would otherwise fight over the shared profile's lock and one of
them would exit without writing anything. A conversion takes about 1.5 s, most of it LibreOffice
starting; run it in a background task, not in a request.

``LANTOA_SOFFICE`` names the program when it is not ``soffice`` on PATH (e.g.
``/opt/libreoffice/program/soffice``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _

__all__ = [
    "PdfConversionFailed",
    "PdfError",
    "PdfUnavailable",
    "docx_to_pdf",
    "pdf_available",
    "soffice_path",
]

ENV_VAR = "LANTOA_SOFFICE"


class PdfError(RuntimeError):
    """Base of the conversion errors. ``message`` is a lazy translation (an English msgid),
    ``detail`` what LibreOffice printed, for the log and never for the user."""

    def __init__(self, message: Any, detail: str = "", **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.params = params
        self.detail = detail

    def __str__(self) -> str:
        text = str(self.message)
        if self.params:
            text = text % self.params
        return f"{text}\n{self.detail}" if self.detail else text


class PdfUnavailable(PdfError):
    """LibreOffice is not installed (or LANTOA_SOFFICE points nowhere)."""


class PdfConversionFailed(PdfError):
    """LibreOffice ran but gave no PDF: it failed, timed out or could not read the file."""


def soffice_path() -> str | None:
    """The LibreOffice program to run, or None. LANTOA_SOFFICE wins over PATH."""
    configured = os.environ.get(ENV_VAR, "").strip()
    if configured:
        found = shutil.which(configured)
        return found if found and os.access(found, os.X_OK) else None
    return shutil.which("soffice")


def pdf_available() -> bool:
    return soffice_path() is not None


def docx_to_pdf(docx_bytes: bytes, timeout: float = 60) -> bytes:
    """The PDF of a .docx. Raises PdfUnavailable or PdfConversionFailed."""
    program = soffice_path()
    if program is None:
        raise PdfUnavailable(
            _("PDF export is not available: LibreOffice (soffice) is not installed on the server.")
        )
    with tempfile.TemporaryDirectory(prefix="lantoa-pdf-") as work:
        root = Path(work)
        source = root / "document.docx"
        source.write_bytes(docx_bytes)
        outdir = root / "out"
        outdir.mkdir()
        profile = root / "profile"
        command = [
            program,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--invisible",
            "--nodefault",
            "--nolockcheck",
            "--nologo",
            "--norestore",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(outdir),
            str(source),
        ]
        # HOME inside the work folder: LibreOffice may write caches there, and a root or service
        # account's HOME may be read-only or shared.
        env = {**os.environ, "HOME": str(root)}
        # A session of its own, so that a timeout can kill LibreOffice's whole process group
        # (the soffice script starts oosplash, which starts soffice.bin).
        process = subprocess.Popen(  # noqa: S603 - fixed arguments, no shell
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=root,
            start_new_session=True,
        )
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            process.communicate()
            raise PdfConversionFailed(
                _("LibreOffice did not finish the PDF within %(seconds)s seconds."), seconds=timeout
            ) from None
        finally:
            if process.poll() is None:  # pragma: no cover - only on an unexpected exception
                _kill_group(process)
        detail = (stdout + stderr).decode("utf-8", "replace").strip()[-2000:]
        target = outdir / "document.pdf"
        data = target.read_bytes() if target.is_file() else b""
        if process.returncode != 0 or not data.startswith(b"%PDF"):
            raise PdfConversionFailed(
                _("LibreOffice could not convert the document to PDF (exit code %(code)s)."),
                detail,
                code=process.returncode,
            )
        return data


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):  # already gone
        os.killpg(process.pid, signal.SIGKILL)
