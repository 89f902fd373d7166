"""PDF conversion through LibreOffice: the real conversion of the sample plan, cold and warm, and
the wrapper's failure paths with stand-in programs (no LibreOffice needed).

The stand-in ``soffice`` programs exercise the cold way, so those tests turn the warm one off;
the warm one's own failures are played by a stand-in for the Python that drives it."""

from __future__ import annotations

import re
import stat
import subprocess
import time
from pathlib import Path

import pytest

from lantoa.lib import pdf as pdf_module
from lantoa.lib.party_docx import render_docx
from lantoa.lib.pdf import PdfConversionFailed, PdfUnavailable, docx_to_pdf, pdf_available, soffice_path
from tests.lib.test_party_docx import DATE_LINE, plan_document

needs_libreoffice = pytest.mark.skipif(
    not pdf_available(), reason="LibreOffice (soffice) is not installed; `make test` installs it"
)


@pytest.fixture
def cold_only(monkeypatch):
    monkeypatch.setenv("LANTOA_PDF_WARM", "0")


@pytest.fixture
def fresh_warm_office(monkeypatch):
    """A warm LibreOffice of the test's own, stopped afterwards."""
    office = pdf_module._WarmOffice()
    monkeypatch.setattr(pdf_module, "_warm_office", office)
    monkeypatch.delenv("LANTOA_PDF_WARM", raising=False)
    yield office
    office.stop()


def fake_soffice(tmp_path: Path, script: str) -> Path:
    program = tmp_path / "fake-soffice"
    program.write_text("#!/bin/sh\n" + script)
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    return program


def test_lantoa_soffice_names_the_program(monkeypatch, tmp_path):
    program = fake_soffice(tmp_path, "exit 0\n")
    monkeypatch.setenv("LANTOA_SOFFICE", str(program))
    assert soffice_path() == str(program)
    assert pdf_available()


def test_missing_program_is_unavailable(monkeypatch, tmp_path):
    monkeypatch.setenv("LANTOA_SOFFICE", str(tmp_path / "no-such-soffice"))
    assert not pdf_available()
    with pytest.raises(PdfUnavailable):
        docx_to_pdf(b"PK")


def test_failing_program_raises_conversion_failed_with_its_output(monkeypatch, tmp_path, cold_only):
    monkeypatch.setenv(
        "LANTOA_SOFFICE", str(fake_soffice(tmp_path, "echo 'boom: cannot load' >&2\nexit 3\n"))
    )
    with pytest.raises(PdfConversionFailed) as caught:
        docx_to_pdf(b"PK")
    assert caught.value.params == {"code": 3}
    assert "boom: cannot load" in caught.value.detail


def test_program_that_writes_nothing_is_a_failure(monkeypatch, tmp_path, cold_only):
    # LibreOffice exits 0 when it cannot load the source file: the missing PDF is the only sign.
    monkeypatch.setenv(
        "LANTOA_SOFFICE", str(fake_soffice(tmp_path, "echo 'Error: source file could not be loaded'\n"))
    )
    with pytest.raises(PdfConversionFailed) as caught:
        docx_to_pdf(b"PK")
    assert caught.value.params == {"code": 0}
    assert "could not be loaded" in caught.value.detail


def test_private_profile_and_output_folder_per_call(monkeypatch, tmp_path, cold_only):
    # The stand-in records its arguments and writes a PDF where LibreOffice would.
    log = tmp_path / "args"
    script = (
        f'printf "%s\\n" "$@" > {log}\n'
        "for last; do :; done\n"  # the source file, last argument; the output folder is beside it
        'printf "%%PDF-1.7 fake" > "$(dirname "$last")/out/document.pdf"\n'
    )
    monkeypatch.setenv("LANTOA_SOFFICE", str(fake_soffice(tmp_path, script)))
    assert docx_to_pdf(b"PK") == b"%PDF-1.7 fake"
    args = log.read_text().splitlines()
    profile = next(a for a in args if a.startswith("-env:UserInstallation=file:///"))
    assert "/lantoa-pdf-" in profile
    assert "--headless" in args
    assert args[args.index("--convert-to") + 1].startswith("pdf")
    # The work folder (profile included) is gone afterwards.
    assert not Path(profile.removeprefix("-env:UserInstallation=file://")).exists()


def test_timeout_kills_the_whole_process_group(monkeypatch, tmp_path, cold_only):
    pid_file = tmp_path / "child.pid"
    script = f"sleep 30 &\necho $! > {pid_file}\nwait\n"
    monkeypatch.setenv("LANTOA_SOFFICE", str(fake_soffice(tmp_path, script)))
    started = time.monotonic()
    with pytest.raises(PdfConversionFailed) as caught:
        docx_to_pdf(b"PK", timeout=0.5)
    assert time.monotonic() - started < 10
    assert caught.value.params == {"seconds": 0.5}
    child = int(pid_file.read_text())
    # The "sleep" grandchild was killed too (gone, or a zombie waiting for init to reap it).
    status = Path(f"/proc/{child}/status")
    assert not status.exists() or "State:\tZ" in status.read_text()


@needs_libreoffice
@pytest.mark.parametrize("way", ["cold", "warm"])
def test_plan_converts_to_a_three_page_pdf_with_vietnamese_text_intact(
    way, tmp_path, monkeypatch, fresh_warm_office
):
    if way == "cold":
        monkeypatch.setenv("LANTOA_PDF_WARM", "0")
    elif pdf_module._uno_python() is None or not _has_uno(pdf_module._uno_python()):
        pytest.skip("no Python with LibreOffice's uno module; `make test` installs python3-uno")
    started = time.monotonic()
    pdf = docx_to_pdf(render_docx(plan_document()))
    assert (fresh_warm_office._process is not None) == (way == "warm")
    elapsed = time.monotonic() - started
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "ke-hoach.pdf"
    path.write_bytes(pdf)

    def text(*pages: str) -> str:
        out = subprocess.run(
            ["pdftotext", "-layout", *pages, str(path), "-"], capture_output=True, check=True
        )
        return re.sub(r"[ \t]+", " ", out.stdout.decode())

    whole = text()
    for expected in (
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "ĐẢNG BỘ TỈNH BẾN TRE",
        "HUYỆN ỦY CHÂU THÀNH",
        "Số 15-KH/HU",
        DATE_LINE,
        "KẾ HOẠCH",
        "T/M BAN THƯỜNG VỤ",
        "PHÓ BÍ THƯ THƯỜNG TRỰC",
        "Huỳnh Thanh Tuấn",
        "140,43%",
        "Nơi nhận:",
    ):
        assert expected in whole, expected

    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True).stdout.decode()
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)[1])
    # Page 1: header and body; page 2 (after the PageBreak): last paragraph and the signature;
    # page 3: the appendix.
    assert pages == 3, whole
    first = text("-f", "1", "-l", "1")
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in first
    assert not re.match(r"\s*1\s*\n", first)  # no page number on page 1
    assert "Huỳnh Thanh Tuấn" in text("-f", "2", "-l", "2")
    last = text("-f", "3", "-l", "3")
    assert last.split()[0] == "3"  # page number at the top
    assert "Phụ lục 1" in last
    assert "Huỳnh Thanh Tuấn" not in last

    # Every font is (metric-compatible) Times: no Vietnamese letter fell back to another font.
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True).stdout.decode()
    names = [line.split()[0] for line in fonts.splitlines()[2:]]
    assert names
    assert all(re.search(r"LiberationSerif|TimesNewRoman|Times", name) for name in names), names
    assert elapsed < 30  # ~1.5 s here; a hung LibreOffice would hit docx_to_pdf's own timeout


def _has_uno(python: str) -> bool:
    return subprocess.run([python, "-c", "import uno"], capture_output=True).returncode == 0


@needs_libreoffice
def test_warm_office_serves_many_documents_from_one_libreoffice(fresh_warm_office):
    if not _has_uno(pdf_module._uno_python() or "false"):
        pytest.skip("no Python with LibreOffice's uno module; `make test` installs python3-uno")
    document = render_docx(plan_document())
    assert docx_to_pdf(document).startswith(b"%PDF")
    process = fresh_warm_office._process
    assert process is not None
    assert process.poll() is None
    started = time.monotonic()
    assert docx_to_pdf(document).startswith(b"%PDF")
    warm_seconds = time.monotonic() - started
    assert fresh_warm_office._process is process  # the same LibreOffice, not a new one
    assert warm_seconds < 30  # ~0,2 s here; bench/pdf_minutes.py measures it
    fresh_warm_office.stop()
    process.wait(timeout=10)
    assert process.returncode is not None


def fake_uno_python(tmp_path: Path, script: str) -> Path:
    """A stand-in for the Python that runs office_server.py: ``starts`` counts its starts."""
    program = tmp_path / "fake-python"
    program.write_text(f"#!/bin/sh\necho started >> {tmp_path / 'starts'}\n" + script)
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    return program


def starts(tmp_path: Path) -> int:
    path = tmp_path / "starts"
    return len(path.read_text().splitlines()) if path.exists() else 0


def cold_soffice_writing_a_pdf(tmp_path: Path) -> Path:
    return fake_soffice(
        tmp_path,
        'for last; do :; done\nprintf "%%PDF-1.7 cold" > "$(dirname "$last")/out/document.pdf"\n',
    )


@pytest.mark.parametrize(
    "helper",
    [
        # Started, took the document, died without answering.
        "echo '{\"ready\": true}'\nread line\nexit 1\n",
        # Started, answered that it failed.
        'echo \'{"ready": true}\'\nwhile read line; do echo \'{"ok": false, "error": "x"}\'; done\n',
        # Started, never answered (a document LibreOffice hangs on).
        "echo '{\"ready\": true}'\nread line\nsleep 30\n",
        # Never got LibreOffice going.
        'echo \'{"ready": false, "error": "LibreOffice did not start"}\'\n',
    ],
    ids=["dies", "fails", "hangs", "no-start"],
)
def test_a_failing_warm_office_falls_back_to_cold_and_is_restarted_next_time(
    helper, monkeypatch, tmp_path, fresh_warm_office
):
    monkeypatch.setenv("LANTOA_SOFFICE", str(cold_soffice_writing_a_pdf(tmp_path)))
    monkeypatch.setenv("LANTOA_UNO_PYTHON", str(fake_uno_python(tmp_path, helper)))
    started = time.monotonic()
    assert docx_to_pdf(b"PK", timeout=1) == b"%PDF-1.7 cold"
    assert docx_to_pdf(b"PK", timeout=1) == b"%PDF-1.7 cold"
    assert time.monotonic() - started < 20
    assert starts(tmp_path) == 2  # tried warm again: the next document may well succeed


def test_without_uno_the_warm_way_is_not_tried_again(monkeypatch, tmp_path, fresh_warm_office):
    monkeypatch.setenv("LANTOA_SOFFICE", str(cold_soffice_writing_a_pdf(tmp_path)))
    helper = 'echo \'{"ready": false, "error": "no uno module: No module named uno"}\'\n'
    monkeypatch.setenv("LANTOA_UNO_PYTHON", str(fake_uno_python(tmp_path, helper)))
    assert docx_to_pdf(b"PK") == b"%PDF-1.7 cold"
    assert docx_to_pdf(b"PK") == b"%PDF-1.7 cold"
    assert starts(tmp_path) == 1


def test_warm_office_answer_is_used_when_it_writes_a_pdf(monkeypatch, tmp_path, fresh_warm_office):
    # The protocol of office_server.py, played by a shell script: the PDF comes from the warm way.
    monkeypatch.setenv("LANTOA_SOFFICE", str(cold_soffice_writing_a_pdf(tmp_path)))
    helper = (
        "echo '{\"ready\": true}'\n"
        "while read line; do\n"
        '  target=$(printf \'%s\' "$line" | sed \'s/.*"target": "\\([^"]*\\)".*/\\1/\')\n'
        "  printf '%%PDF-1.7 warm' > \"$target\"\n"
        "  echo '{\"ok\": true}'\n"
        "done\n"
    )
    monkeypatch.setenv("LANTOA_UNO_PYTHON", str(fake_uno_python(tmp_path, helper)))
    assert docx_to_pdf(b"PK") == b"%PDF-1.7 warm"
    assert docx_to_pdf(b"PK") == b"%PDF-1.7 warm"
    assert starts(tmp_path) == 1
