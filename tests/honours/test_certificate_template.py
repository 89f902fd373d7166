"""An office restyles its certificates in Word: it downloads the template in use, changes it,
uploads it back; the upload is filled with a sample first, so a template that would fail (or
print no name, no code) is refused saying why, and nothing is saved."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lantoa.honours import decisions
from lantoa.honours.certificate_docs import default_template, template_for
from lantoa.honours.models import CertificateTemplate
from lantoa.org.models import Role
from tests.conftest import page_text, persona, tr

D = dt.date

pytestmark = pytest.mark.today(D(2024, 3, 20))


def restyled(extra: str = "Mẫu riêng của Đảng ủy xã An Khánh", *, drop: str = "") -> bytes:
    """Lan Tỏa's template with a line added (and a field taken out), as an office does in Word."""
    document = docx.Document(io.BytesIO(default_template()))
    document.add_paragraph(extra)
    if drop:
        for paragraph in document.paragraphs:
            for run in paragraph.runs:
                run.text = run.text.replace(drop, "")
        for table in document.tables:
            for row in table.rows:
                for cell in row.cells:
                    for paragraph in cell.paragraphs:
                        for run in paragraph.runs:
                            run.text = run.text.replace(drop, "")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def padded() -> bytes:
    """A template under the 5 MB limit whose zip unpacks a part of 25 MB of spaces (a zip bomb
    in miniature: the same file could unpack to gigabytes)."""
    buffer = io.BytesIO(restyled())
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/padding.xml", b" " * (25 * 1024 * 1024))
    return buffer.getvalue()


def upload(client, unit_key: str, content: bytes, name: str = "mau.docx"):
    return client.post(
        reverse("honours:certificate_template"),
        {"unit": unit_key, "file": SimpleUploadedFile(name, content)},
    )


@pytest.fixture
def staff(client, tree):
    secretary = persona(tree.an_khanh, Role.SECRETARY)
    client.force_login(secretary.user)
    return secretary


def test_the_office_restyles_and_its_certificates_and_those_below_follow(
    client, tree, staff, at_the_commune, giay_khen
):
    response = client.get(reverse("honours:certificate_template_download"), {"unit": tree.an_khanh.key})
    assert response.status_code == 200
    assert response.content == default_template()

    assert upload(client, tree.an_khanh.key, restyled()).status_code == 302
    assert CertificateTemplate.objects.get().unit == tree.an_khanh
    # The commune's decisions, and those of the cells under it, print from it now.
    for unit in (tree.an_khanh, tree.phuoc_thanh):
        text = "\n".join(
            p.text for p in docx.Document(io.BytesIO(template_for(unit, D(2024, 3, 20)))).paragraphs
        )
        assert "Mẫu riêng của Đảng ủy xã An Khánh" in text
    assert template_for(tree.tan_thach, D(2024, 3, 20)) == default_template()

    member, _collective = at_the_commune
    decision = giay_khen
    decisions.issue_certificates(actor=None, decision=decision)
    printed = client.get(reverse("honours:certificate", args=[decision.public_id, 1, "docx"]))
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(printed.content)).paragraphs)
    assert "Mẫu riêng của Đảng ủy xã An Khánh" in text
    assert member.subject_label in text


ONLY_FIELDS = (
    "The template may only print fields, each written alone between double braces as "
    "{{ holder_name }}: remove the %(tags)s tags, and the dots, brackets and filters inside the braces."
)


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (
            lambda: restyled("{{ holder_name "),
            "mau.docx",
            "The file is not a Word template Lan Tỏa can fill: %(error)s",
        ),
        (
            lambda: restyled(drop="{{ code }}"),
            "mau.docx",
            "The template must print %(fields)s.",
        ),
        (
            lambda: restyled("{{ ngay_sinh }}"),
            "mau.docx",
            "The template uses fields Lan Tỏa does not fill: %(fields)s. The fields are: %(known)s.",
        ),
        (lambda: b"not a zip at all", "mau.docx", "The file is not a Word (.docx) document."),
        # An office's template is code run on the server: nothing but fields may run.
        (
            lambda: restyled("{{ holder_name.__class__.__mro__ }}"),
            "mau.docx",
            ONLY_FIELDS,
        ),
        (
            lambda: restyled(
                "{% for i in range(99999) %}{% for j in range(99999) %}x{% endfor %}{% endfor %}"
            ),
            "mau.docx",
            ONLY_FIELDS,
        ),
        (lambda: restyled("{{ code|upper }}"), "mau.docx", ONLY_FIELDS),
        (
            padded,
            "mau.docx",
            "The file unpacks to far more than a certificate needs: save it again from Word.",
        ),
        (lambda: b"%PDF-1.4", "mau.pdf", "The template must be a Word (.docx) file."),
    ],
    ids=[
        "broken-tag",
        "no-code",
        "unknown-field",
        "not-a-docx",
        "python-internals",
        "nested-loops",
        "a-filter",
        "zip-bomb",
        "a-pdf",
    ],
)
def test_a_template_that_would_fail_is_refused_saying_why(client, tree, staff, content, name, message):
    response = upload(client, tree.an_khanh.key, content(), name)

    assert response.status_code == 400
    assert tr(message).split("%(")[0].strip() in page_text(response)
    assert not CertificateTemplate.objects.exists()


def test_a_missing_field_is_named_by_what_it_prints(client, tree, staff):
    response = upload(client, tree.an_khanh.key, restyled(drop="{{ code }}"), "mau.docx")

    assert tr("the verification code") in page_text(response)  # not only its name in the template


def test_only_the_units_officers_change_its_template(client, tree, staff):
    client.force_login(persona(tree.phuoc_thanh, Role.SECRETARY).user)
    assert upload(client, tree.an_khanh.key, restyled()).status_code == 404
    download = client.get(reverse("honours:certificate_template_download"), {"unit": tree.an_khanh.key})
    assert download.status_code == 404
    client.force_login(persona(tree.district, Role.COUNCIL).user)
    assert upload(client, tree.an_khanh.key, restyled()).status_code == 403
    client.logout()
    assert upload(client, tree.an_khanh.key, restyled()).status_code == 302  # to the login page
    assert not CertificateTemplate.objects.exists()
