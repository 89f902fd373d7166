"""Certificates printed from a Word template (docxtpl): an office restyles the template in Word,
keeping the {{ fields }}, and uploads it; no code changes.

``default_template()`` builds the template Lan Tỏa ships (A4 landscape, Times New Roman, the
national or Party heading, the award, the name, the decision, the signature, the QR code).
``render_certificate`` fills one; ``render_certificates`` puts a decision's certificates one per
page in a single document, which ``lantoa.lib.pdf`` turns into one PDF for bulk printing.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.shared import Cm, Pt, RGBColor

from lantoa.lib.party_docx import to_upper_vi
from lantoa.lib.vi import format_date, format_dateline
from lantoa.lib.zip_limits import MEGABYTE, ArchiveTooLarge, ArchiveUnreadable, ZipLimits, check_archive

from .models import Certificate

if TYPE_CHECKING:
    from lantoa.org.models import Unit

# The fields a template may use: what the help page lists and the upload check renders.
FIELDS = {
    "header": gettext_lazy("ĐẢNG CỘNG SẢN VIỆT NAM, or the State's national heading"),
    "motto": gettext_lazy("“Độc lập - Tự do - Hạnh phúc” for a State certificate, else empty"),
    "granting_body": gettext_lazy("the body that decided, in capitals"),
    "award": gettext_lazy("GIẤY KHEN, BẰNG KHEN … in capitals"),
    "verb": "Tặng / Biểu dương",
    "holder_name": gettext_lazy("the name of the person or collective"),
    "holder_unit": gettext_lazy("their cell or unit"),
    "achievement": gettext_lazy("what they are recognised for"),
    "place_date": "Châu Thành, ngày 15 tháng 01 năm 2024",
    "signing": "T/M BAN THƯỜNG VỤ",
    "signer_title": "BÍ THƯ",
    "signer_name": gettext_lazy("the signer's name"),
    "decision": "Quyết định số 125-QĐ/HU ngày 15/01/2024",
    "serial": "125-QĐ/HU · 007",
    "code": gettext_lazy("the verification code"),
    "verify_url": gettext_lazy("the verification page's address"),
    "qr": gettext_lazy("the QR code of that address (an image)"),
}
STATE_HEADER = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
STATE_MOTTO = "Độc lập - Tự do - Hạnh phúc"
PARTY_HEADER = "ĐẢNG CỘNG SẢN VIỆT NAM"
RED = RGBColor(0xC0, 0x00, 0x00)


@functools.cache
def default_template() -> bytes:
    document = new_docx()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.5))
    section.top_margin, section.bottom_margin = Cm(1.8), Cm(1.5)
    style = document.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(14)

    def line(
        text: str, *, size: int = 14, bold: bool = False, italic: bool = False, red: bool = False
    ) -> None:
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(4)
        run = paragraph.add_run(text)
        run.font.size, run.bold, run.italic = Pt(size), bold, italic
        if red:
            run.font.color.rgb = RED

    line("{{ header }}", bold=True)
    line("{{ motto }}", bold=True, size=13)
    line("{{ granting_body }}", bold=True, size=13)
    line("{{ award }}", size=40, bold=True, red=True)
    line("{{ verb }}", size=16, italic=True)
    line("{{ holder_name }}", size=26, bold=True, red=True)
    line("{{ holder_unit }}", size=15)
    line("Đã có thành tích {{ achievement }}", size=15, italic=True)
    line("{{ place_date }}", italic=True)
    line("{{ signing }}", bold=True, size=13)
    line("{{ signer_title }}", bold=True, size=13)
    line("")
    line("{{ signer_name }}", bold=True)
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.width, right.width = Cm(3.2), Cm(21)
    left.paragraphs[0].add_run("{{ qr }}")
    for text in ("{{ decision }}", "Số vào sổ: {{ serial }}", "Mã xác thực: {{ code }} · {{ verify_url }}"):
        paragraph = right.add_paragraph() if right.paragraphs[0].text else right.paragraphs[0]
        run = paragraph.add_run(text)
        run.font.size = Pt(10)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def certificate_context(certificate: Certificate, verify_url: str) -> dict[str, Any]:
    date = certificate.decision_date
    state = certificate.decision.document.system == "state"
    return {
        "header": STATE_HEADER if state else PARTY_HEADER,
        "motto": STATE_MOTTO if state else "",
        "granting_body": to_upper_vi(certificate.granting_body),
        "award": to_upper_vi(certificate.award),
        "verb": "Biểu dương" if certificate.decision.kind == "praise" else "Tặng",
        "holder_name": certificate.holder_name,
        "holder_unit": certificate.holder_unit,
        "achievement": certificate.achievement,
        "place_date": f"{certificate.place}, {format_dateline(date)}",
        "signing": f"{certificate.signing_form} {to_upper_vi(certificate.signing_body)}".strip(),
        "signer_title": to_upper_vi(certificate.signer_title),
        "signer_name": certificate.signer_name,
        "decision": f"Quyết định {certificate.decision_number.replace('Số ', 'số ')} "
        f"ngày {format_date(date)}",
        "serial": certificate.serial_label,
        "code": certificate.code,
        "verify_url": verify_url,
    }


def _qr_png(url: str) -> io.BytesIO:
    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=6, border=2)
    buffer.seek(0)
    return buffer


def _render(template: bytes, context: dict[str, Any]) -> bytes:
    from docxtpl import DocxTemplate, InlineImage

    document = DocxTemplate(io.BytesIO(template))
    context = {**context, "qr": InlineImage(document, _qr_png(context["verify_url"]), width=Cm(2.8))}
    document.render(context, jinja_env=_sandbox())
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_certificate(template: bytes, certificate: Certificate, verify_url: str) -> bytes:
    return _render(template, certificate_context(certificate, verify_url))


# What an uploaded template must print for a certificate to be checked: who, and the code.
REQUIRED_FIELDS = ("holder_name", "code")
SAMPLE = {
    "header": PARTY_HEADER,
    "motto": "",
    "granting_body": "ĐẢNG ỦY XÃ AN KHÁNH",
    "award": "GIẤY KHEN",
    "verb": "Tặng",
    "holder_name": "Nguyễn Văn Mẫu",
    "holder_unit": "Chi bộ ấp Phước Thạnh",
    "achievement": "tiêu biểu trong học tập và làm theo Bác",
    "place_date": "An Khánh, ngày 15 tháng 01 năm 2024",
    "signing": "T/M ĐẢNG ỦY",
    "signer_title": "BÍ THƯ",
    "signer_name": "Lê Văn Bí",
    "decision": "Quyết định số 01-QĐ/ĐU ngày 15/01/2024",
    "serial": "01-QĐ/ĐU · 001",
    "code": "ABCDEFGH23",
    "verify_url": "http://lantoa.local/verify/ABCDEFGH23/",
}


class TemplateProblem(ValueError):
    """Why an uploaded file cannot be used as the certificate template, in the reader's words."""


def _sandbox() -> Any:
    """An uploaded template is code an office wrote: jinja's sandbox keeps it from reaching
    Python's internals even if a tag slipped past ``check_template``'s list of what is allowed."""
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    return ImmutableSandboxedEnvironment(autoescape=True)


# What a certificate template may contain: text, and fields printed as they are.
TEMPLATE_NODES = ("Template", "Output", "TemplateData", "Name")

# An uploaded .docx: a certificate is a page of text with a picture or two.
TEMPLATE_ZIP_LIMITS = ZipLimits(
    max_parts=200, max_total_bytes=40 * MEGABYTE, max_part_bytes=lambda name: 20 * MEGABYTE
)


def _template_source(document: Any) -> str:
    """The jinja source docxtpl renders: the body, headers and footers, tags joined across runs."""
    return "".join(
        document.patch_xml(document.xml_to_string(xml))
        for xml in [document.docx._element.body]
        + [
            parse_xml(rel.target_part.blob)
            for rel in document.docx._part.rels.values()
            if rel.reltype in (document.HEADER_URI, document.FOOTER_URI)
        ]
    )


def _used_fields(content: bytes) -> set[str]:
    """The fields a template prints; ``TemplateProblem`` when it does anything else (loops,
    conditions, calls, filters: a certificate needs none, and each is a way to run code or to
    spin the server)."""
    from docxtpl import DocxTemplate
    from jinja2 import nodes

    try:
        check_archive(io.BytesIO(content), TEMPLATE_ZIP_LIMITS)
    except ArchiveUnreadable as error:
        raise TemplateProblem(_("The file is not a Word (.docx) document.")) from error
    except ArchiveTooLarge as error:
        raise TemplateProblem(
            _("The file unpacks to far more than a certificate needs: save it again from Word.")
        ) from error
    document = DocxTemplate(io.BytesIO(content))
    document.init_docx()
    tree = _sandbox().parse(_template_source(document))
    if any(type(node).__name__ not in TEMPLATE_NODES for node in tree.find_all(nodes.Node)):
        raise TemplateProblem(
            _(
                "The template may only print fields, each written alone between double braces "
                "as {{ holder_name }}: remove the %(tags)s tags, and the dots, brackets and "
                "filters inside the braces."
            )
            % {"tags": "{% … %}"}
        )
    return {node.name for node in tree.find_all(nodes.Name)}


def check_template(content: bytes) -> bytes:
    """Fill the template with a sample certificate: what a problem would do to every certificate
    is seen once, at upload. Returns the sample (Word) for the office to look at."""
    from jinja2 import TemplateError

    try:
        fields = _used_fields(content)
    except TemplateProblem:
        raise
    except (TemplateError, KeyError, ValueError, OSError) as error:  # not a Word file, broken tags
        raise TemplateProblem(
            _("The file is not a Word template Lan Tỏa can fill: %(error)s") % {"error": error}
        ) from error
    except Exception as error:  # a zip that is not a .docx, and other ways a file can be wrong
        raise TemplateProblem(_("The file is not a Word (.docx) document.")) from error
    missing = [name for name in REQUIRED_FIELDS if name not in fields]
    if missing:
        raise TemplateProblem(
            _("The template must print %(fields)s.")
            % {"fields": "; ".join(f"{FIELDS[name]} ({{{{ {name} }}}})" for name in missing)}
        )
    unknown = sorted(set(fields) - set(FIELDS))
    if unknown:
        raise TemplateProblem(
            _("The template uses fields Lan Tỏa does not fill: %(fields)s. The fields are: %(known)s.")
            % {"fields": ", ".join(unknown), "known": ", ".join(FIELDS)}
        )
    try:
        return _render(content, SAMPLE)
    except TemplateError as error:
        raise TemplateProblem(_("Word could not fill the template: %(error)s") % {"error": error}) from error


def template_for(unit: Unit, day: dt.date) -> bytes:
    """The newest template uploaded for the unit or the nearest unit above it that day; else the
    one Lan Tỏa ships."""
    from lantoa.org.queries import path_to_root

    from .models import CertificateTemplate

    chain = [u.pk for u in reversed(path_to_root(unit, day))] or [unit.pk]
    found = {
        t.unit_id: t
        for t in CertificateTemplate.objects.filter(unit_id__in=chain).order_by(
            "unit_id", "uploaded_at", "id"
        )
    }
    for unit_id in chain:
        if unit_id in found:
            return bytes(found[unit_id].content)
    return default_template()


def render_certificates(template: bytes, certificates: Sequence[tuple[Certificate, str]]) -> bytes:
    """Every certificate, one after another, each starting on a new page."""
    from docx import Document as open_docx
    from docxcompose.composer import Composer

    if not certificates:
        raise ValueError("no certificates to print")
    first, *rest = (open_docx(io.BytesIO(render_certificate(template, c, url))) for c, url in certificates)
    composer = Composer(first)
    for document in rest:
        document.paragraphs[0].paragraph_format.page_break_before = True
        composer.append(document)
    buffer = io.BytesIO()
    composer.save(buffer)
    return buffer.getvalue()
