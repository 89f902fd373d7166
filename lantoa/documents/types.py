"""Document type codes (Hướng dẫn 36-HD/VPTW for Party, Nghị định 30/2020 for State).

The code is stored as issued ("QĐ" and "QĐi" both occur for a quy định); these tables only give
the printed type name and a label for the interface.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# Printed on the document, always in Vietnamese. None: a công văn has no type name line.
PRINTED_NAMES: dict[str, str | None] = {
    "NQ": "NGHỊ QUYẾT",
    "CT": "CHỈ THỊ",
    "KL": "KẾT LUẬN",
    "QĐ": "QUYẾT ĐỊNH",
    "QĐi": "QUY ĐỊNH",
    "QC": "QUY CHẾ",
    "BC": "BÁO CÁO",
    "TTr": "TỜ TRÌNH",
    "TB": "THÔNG BÁO",
    "HD": "HƯỚNG DẪN",
    "CTr": "CHƯƠNG TRÌNH",
    "KH": "KẾ HOẠCH",
    "TT": "THÔNG TRI",
    "BB": "BIÊN BẢN",
    "CV": None,
}

LABELS = {
    "NQ": _("Resolution (NQ)"),
    "CT": _("Directive (CT)"),
    "KL": _("Conclusion (KL)"),
    "QĐ": _("Decision or regulation (QĐ)"),
    "QĐi": _("Regulation (QĐi)"),
    "QC": _("Rules (QC)"),
    "BC": _("Report (BC)"),
    "TTr": _("Submission (TTr)"),
    "TB": _("Notice (TB)"),
    "HD": _("Guidance (HD)"),
    "CTr": _("Programme (CTr)"),
    "KH": _("Plan (KH)"),
    "TT": _("Circular letter (TT)"),
    "BB": _("Minutes (BB)"),
    "CV": _("Official letter (CV)"),
}

TYPE_CHOICES = list(LABELS.items())


def printed_name(type_code: str) -> str | None:
    return PRINTED_NAMES.get(type_code, type_code.upper())
