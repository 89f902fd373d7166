"""A decision keeps its files in the register (the signed and stamped scan, the council's
minutes): its officers attach them, its readers download them; a file the register refuses is
refused here too, saying why, and nothing is kept."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lantoa.documents.models import Attachment
from lantoa.org.models import Role
from tests.conftest import page_text, persona, tr

D = dt.date

pytestmark = pytest.mark.today(D(2024, 3, 20))


@pytest.fixture
def decision(giay_khen):
    return giay_khen


def attach(client, decision, name="qd-ky.pdf", content=b"%PDF-1.4\n% da ky\n", title="Bản ký, đóng dấu"):
    return client.post(
        reverse("honours:decision_attach", args=[decision.public_id]),
        {"file": SimpleUploadedFile(name, content), "title": title},
    )


def test_the_office_attaches_the_signed_scan_and_readers_download_it(tree, decision):
    staff = persona(tree.an_khanh, Role.SECRETARY)

    assert attach(staff.client, decision).status_code == 302

    (attachment,) = decision.document.attachments.all()
    assert attachment.original_name == "qd-ky.pdf"
    page = staff.client.get(reverse("honours:decision", args=[decision.public_id]))
    assert "Bản ký, đóng dấu" in page_text(page)
    # The district's staff read the commune's decisions, and download the scan.
    reader = persona(tree.district, Role.PROPAGANDA)
    download = reader.client.get(
        reverse("documents:attachment", args=[decision.document.public_id, attachment.pk])
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4\n% da ky\n"


def test_a_file_the_register_refuses_is_refused_saying_why(tree, decision):
    staff = persona(tree.an_khanh, Role.SECRETARY)

    response = attach(staff.client, decision, name="virus.exe", content=b"MZ\x90\x00")

    assert response.status_code == 302
    assert not Attachment.objects.exists()
    shown = page_text(staff.client.get(response.url))
    message = tr("Files of type %(suffix)s are not accepted; use PDF, Word, Excel or a photo.", suffix=".exe")
    assert message in shown


def test_only_the_granting_bodys_officers_attach(client, tree, decision):
    assert attach(persona(tree.tan_thach, Role.SECRETARY).client, decision).status_code == 404
    assert attach(persona(tree.district, Role.COUNCIL).client, decision).status_code == 403
    assert attach(client, decision).status_code == 302
    assert not Attachment.objects.exists()
