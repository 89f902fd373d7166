"""Documents printed from cell life: the minutes of a meeting (biên bản) and the attendance sheet
members sign on paper. Both go through ``lantoa.lib.party_docx``, the one Party-format layout.

Printed texts are Vietnamese whatever the interface language: they are Party documents.
"""

from .attendance_sheet import AttendanceSheetExporter
from .minutes import DOCX_CONTENT_TYPE, MinutesExporter

__all__ = ["DOCX_CONTENT_TYPE", "AttendanceSheetExporter", "MinutesExporter"]
