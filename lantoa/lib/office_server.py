"""A LibreOffice kept running for PDF conversion, driven through UNO.

This file is a program of its own, run by ``lantoa.lib.pdf`` with the Python that has
LibreOffice's ``uno`` module (Debian: ``/usr/bin/python3`` with the python3-uno package), not
with the project's virtualenv: it imports nothing from Lan Tỏa or Django.

    python3 office_server.py SOFFICE PROFILE_DIR

It starts ``soffice.bin`` listening on a private pipe with a private profile, connects to it,
prints one JSON line ``{"ready": true}`` (or ``{"ready": false, "error": ...}``), then reads one
JSON request per line on stdin, ``{"source": "/x/a.docx", "target": "/x/a.pdf"}``, and answers
each with ``{"ok": true}`` or ``{"ok": false, "error": ...}``. When stdin closes (its parent
exited, however it exited) it stops LibreOffice and exits. LibreOffice gets SIGKILL from the
kernel if this program dies first (PR_SET_PDEATHSIG), so neither outlives the web process.

A warm LibreOffice turns a one-page minutes document into PDF in about 0,1 s instead of the
1,5-3 s a cold ``soffice --convert-to`` spends starting (bench/pdf_minutes.py).
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

CONNECT_SECONDS = 60
# soffice.bin exits with 81 after creating a fresh profile, asking to be started again (the
# soffice script's oosplash does this for a desktop user).
RESTART_EXIT_CODE = 81
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:  # runs in the child between fork and exec
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _office_binary(soffice: str) -> str:
    """soffice.bin itself where it lies beside the ``soffice`` script: the script's oosplash
    would start it as a grandchild that the parent-death signal does not reach."""
    real = Path(os.path.realpath(soffice))
    binary = real.with_name("soffice.bin")
    return str(binary) if binary.is_file() else str(real)


def _start_office(soffice: str, profile: str, pipe: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603 - fixed arguments, no shell
        [
            _office_binary(soffice),
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--invisible",
            "--nodefault",
            "--nolockcheck",
            "--nologo",
            "--norestore",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "HOME": profile},
        preexec_fn=_die_with_parent,
    )


def _prop(name: str, value: object) -> object:
    from com.sun.star.beans import PropertyValue

    prop = PropertyValue()
    prop.Name = name
    prop.Value = value
    return prop


def _answer(message: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def main(soffice: str, profile: str) -> int:
    try:
        import uno
    except ImportError as error:
        _answer({"ready": False, "error": f"no uno module: {error}"})
        return 2
    pipe = f"lantoa_office_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    office = _start_office(soffice, profile, pipe)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        deadline = time.monotonic() + CONNECT_SECONDS
        while True:
            try:
                context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception as error:
                if office.poll() == RESTART_EXIT_CODE:
                    office = _start_office(soffice, profile, pipe)
                elif office.poll() is not None or time.monotonic() > deadline:
                    _answer({"ready": False, "error": f"LibreOffice did not start: {error}"})
                    return 3
                time.sleep(0.1)
        desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        _answer({"ready": True})
        for line in sys.stdin:
            request = json.loads(line)
            try:
                document = desktop.loadComponentFromURL(
                    uno.systemPathToFileUrl(request["source"]),
                    "_blank",
                    0,
                    (_prop("Hidden", True), _prop("ReadOnly", True)),
                )
                if document is None:
                    raise RuntimeError("LibreOffice could not open the document")
                try:
                    document.storeToURL(
                        uno.systemPathToFileUrl(request["target"]),
                        (_prop("FilterName", "writer_pdf_Export"),),
                    )
                finally:
                    document.close(True)
            except Exception as error:
                _answer({"ok": False, "error": str(error)[:2000]})
                if office.poll() is not None:
                    return 4
            else:
                _answer({"ok": True})
        return 0
    finally:
        if office.poll() is None:
            office.kill()
            office.wait()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
