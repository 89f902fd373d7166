"""Turn a .docx into PDF with LibreOffice (``soffice --headless --convert-to pdf``).

Two ways, the first preferred:

- **Warm**: each web process keeps one LibreOffice running (``office_server.py``, driven through
  UNO by the Python that has the ``uno`` module: Debian's python3-uno) and hands it documents one
  at a time; a minutes document takes about 0,1 s. Started on the first conversion (or by
  ``prewarm()``), restarted after a failure, stopped when the process exits.
- **Cold**, where UNO is missing or the warm LibreOffice failed: a LibreOffice of its own for
  each conversion, with a private, throw-away profile (``-env:UserInstallation=file:///tmp/...``):
  two conversions at the same time, or one started as root next to a desktop session, would
  otherwise fight over the shared profile's lock and one of them would exit without writing
  anything. About 1,5-3 s, most of it LibreOffice starting.

``bench/pdf_minutes.py`` measures both (bench/RESULTS.md).

``LANTOA_SOFFICE`` names the program when it is not ``soffice`` on PATH (e.g.
``/opt/libreoffice/program/soffice``); ``LANTOA_UNO_PYTHON`` the Python with ``uno`` when it is
neither ``/usr/bin/python3`` nor LibreOffice's own; ``LANTOA_PDF_WARM=0`` turns the warm way off.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import selectors
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _

__all__ = [
    "PdfConversionFailed",
    "PdfError",
    "PdfUnavailable",
    "docx_to_pdf",
    "pdf_available",
    "prewarm",
    "soffice_path",
]

ENV_VAR = "LANTOA_SOFFICE"
UNO_PYTHON_ENV_VAR = "LANTOA_UNO_PYTHON"
WARM_ENV_VAR = "LANTOA_PDF_WARM"
OFFICE_SERVER = Path(__file__).with_name("office_server.py")
# Starting LibreOffice and connecting to it; a loaded machine (CI) may need tens of seconds.
WARM_START_SECONDS = 60

logger = logging.getLogger(__name__)


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
    """The PDF of a .docx, by the warm LibreOffice where it runs, else by a cold one.
    Raises PdfUnavailable or PdfConversionFailed."""
    program = soffice_path()
    if program is None:
        raise PdfUnavailable(
            _("PDF export is not available: LibreOffice (soffice) is not installed on the server.")
        )
    data = _warm_office.convert(program, docx_bytes, timeout)
    return data if data is not None else _convert_cold(program, docx_bytes, timeout)


def prewarm() -> None:
    """Start this process's warm LibreOffice now, in the background, so that the first PDF a
    user asks for does not wait for it."""
    program = soffice_path()
    if program is not None and _warm_office.wanted():
        threading.Thread(target=_warm_office.start_if_needed, args=(program,), daemon=True).start()


def _convert_cold(program: str, docx_bytes: bytes, timeout: float) -> bytes:
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


def _uno_python() -> str | None:
    """A Python that can ``import uno``: the configured one, Debian's, or LibreOffice's own."""
    configured = os.environ.get(UNO_PYTHON_ENV_VAR, "").strip()
    candidates = [configured] if configured else ["/usr/bin/python3", "/usr/lib/libreoffice/program/python"]
    for candidate in candidates:
        found = shutil.which(candidate)
        if found and os.access(found, os.X_OK):
            return found
    return None


class _WarmOffice:
    """One LibreOffice per process, kept running, used by one conversion at a time.

    Every way it can fail (no uno module, LibreOffice not starting, a document it cannot open,
    a conversion running past its time, the process dying) ends in ``convert`` returning None,
    after which the caller converts cold; the next conversion starts a fresh one. Where uno is
    missing it is not tried again in this process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen[str] | None = None
        self._profile: tempfile.TemporaryDirectory[str] | None = None
        self._impossible = False

    def wanted(self) -> bool:
        return not self._impossible and os.environ.get(WARM_ENV_VAR, "1").strip() != "0"

    def convert(self, program: str, docx_bytes: bytes, timeout: float) -> bytes | None:
        if not self.wanted():
            return None
        # Conversions queue for the one LibreOffice: waiting ~0,1 s per document ahead is
        # still faster than starting a cold one.
        if not self._lock.acquire(timeout=timeout):
            return None
        try:
            if not self._start(program):
                return None
            return self._convert_started(docx_bytes, timeout)
        finally:
            self._lock.release()

    def start_if_needed(self, program: str) -> None:
        with self._lock:
            self._start(program)

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            with contextlib.suppress(Exception):
                process.wait(timeout=5)
        if self._profile is not None:
            self._profile.cleanup()
            self._profile = None

    def _start(self, program: str) -> bool:
        if self._process is not None and self._process.poll() is None:
            return True
        self.stop()
        python = _uno_python()
        if python is None:
            self._impossible = True
            return False
        self._profile = tempfile.TemporaryDirectory(prefix="lantoa-office-")
        # Its own session, so that stop() kills it and its LibreOffice together; stderr to
        # nowhere, so that nothing it leaves behind holds a pipe of ours (or of CI) open.
        self._process = subprocess.Popen(  # noqa: S603 - fixed arguments, no shell
            [python, str(OFFICE_SERVER), program, self._profile.name],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
            start_new_session=True,
        )
        answer = self._read_answer(WARM_START_SECONDS)
        if not answer or not answer.get("ready"):
            logger.warning("warm LibreOffice did not start: %s", answer)
            if answer and "no uno module" in str(answer.get("error", "")):
                self._impossible = True
            self.stop()
            return False
        return True

    def _convert_started(self, docx_bytes: bytes, timeout: float) -> bytes | None:
        assert self._process is not None
        assert self._process.stdin is not None
        with tempfile.TemporaryDirectory(prefix="lantoa-pdf-") as work:
            source, target = Path(work) / "document.docx", Path(work) / "document.pdf"
            source.write_bytes(docx_bytes)
            try:
                self._process.stdin.write(json.dumps({"source": str(source), "target": str(target)}) + "\n")
                self._process.stdin.flush()
            except OSError:
                self.stop()
                return None
            answer = self._read_answer(timeout)
            data = target.read_bytes() if target.is_file() else b""
            if not answer or not answer.get("ok") or not data.startswith(b"%PDF"):
                logger.warning("warm LibreOffice failed, converting cold: %s", answer)
                self.stop()  # a fresh one next time: this one may be stuck on the document
                return None
            return data

    def _read_answer(self, timeout: float) -> dict[str, object] | None:
        """The helper's next JSON line, or None if it says nothing within ``timeout``."""
        assert self._process is not None
        assert self._process.stdout is not None
        with selectors.DefaultSelector() as selector:
            selector.register(self._process.stdout, selectors.EVENT_READ)
            if not selector.select(timeout):
                return None
        line = self._process.stdout.readline()
        try:
            answer = json.loads(line) if line else None
        except ValueError:
            return None
        return answer if isinstance(answer, dict) else None


_warm_office = _WarmOffice()
atexit.register(_warm_office.stop)
