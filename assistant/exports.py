"""Task rows exported for the tools officials track work in: CSV (Excel opens it in Vietnamese:
UTF-8 with BOM), XLSX (openpyxl: frozen header, widths, a citation column) and iCalendar
(the icalendar package: one VTODO per dated task, DUE the end of its period, the citation in
its description, a UID stable across exports so a re-import updates instead of duplicating).

A task without a date is kept in CSV and XLSX; in iCalendar it is listed in the calendar's
description, never given an invented date.
"""
from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Literal, Sequence, get_args

from ingest.types import Task

ExportFormat = Literal["csv", "xlsx", "ics"]
FORMATS: tuple[str, ...] = get_args(ExportFormat)
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ics": "text/calendar; charset=utf-8",
}
HEADER = ("Văn bản", "Số văn bản", "Nhiệm vụ", "Nội dung", "Chủ trì", "Phối hợp", "Thời hạn",
          "Hạn cuối", "Sản phẩm", "Mục", "Trích dẫn")
WIDTHS = (22, 18, 10, 60, 30, 30, 22, 12, 24, 30, 60)


@dataclass(frozen=True)
class ExportRow:
    source: str
    document_number: str | None
    task: Task
    quote: str  # the exact source span of the row

    @property
    def due(self) -> str:
        d = self.task.deadline
        return d.end.isoformat() if d and d.end else ""

    @property
    def uid(self) -> str:
        """Stable across exports: a task number names one row of its document."""
        return hashlib.sha1(f"{self.source}\n{self.task.number}".encode()).hexdigest() + "@cchc-assistant"

    def cells(self) -> tuple[str, ...]:
        t = self.task
        return (self.source, self.document_number or "", t.number, t.description, "; ".join(t.lead),
                "; ".join(t.coordinate), t.deadline.text if t.deadline else "", self.due, t.product or "",
                " > ".join(t.section), citation_text(self))


def citation_text(row: ExportRow) -> str:
    where = row.document_number or row.source
    return f"{where}, nhiệm vụ {row.task.number}: “{' '.join(row.quote.split())}”"


def export_tasks(rows: Sequence[ExportRow], fmt: ExportFormat) -> bytes:
    return {"csv": to_csv, "xlsx": to_xlsx, "ics": to_ics}[fmt](rows)


def to_csv(rows: Sequence[ExportRow]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(row.cells() for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(rows: Sequence[ExportRow]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "Nhiệm vụ"
    sheet.append(HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row.cells())
    for i, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_ics(rows: Sequence[ExportRow], now: datetime | None = None) -> bytes:
    from icalendar import Calendar, Todo, vText

    cal = Calendar()
    cal.add("prodid", "-//cchc-assistant//nhiem vu//VI")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Nhiệm vụ")
    stamp = now or datetime.now(timezone.utc)
    undated = []
    for row in rows:
        d = row.task.deadline
        if not (d and d.end):
            undated.append(row)
            continue
        todo = Todo()
        todo.add("uid", row.uid)
        todo.add("dtstamp", stamp)
        todo.add("summary", f"Nhiệm vụ {row.task.number}: {_short(row.task.description, 90)}")
        todo.add("due", d.end)
        todo.add("description", _details(row))
        cal.add_component(todo)
    if undated:
        listed = "\n".join(f"{r.document_number or r.source} — nhiệm vụ {r.task.number}: {_short(r.task.description, 80)}"
                           for r in undated)
        cal.add("x-wr-caldesc", vText(f"Nhiệm vụ không ghi thời hạn (không đưa vào lịch):\n{listed}"))
    return cal.to_ical()


def _details(row: ExportRow) -> str:
    t = row.task
    parts = [f"Chủ trì: {'; '.join(t.lead) or 'không ghi'}", f"Phối hợp: {'; '.join(t.coordinate) or 'không ghi'}",
             f"Thời hạn: {t.deadline.text if t.deadline else 'không ghi'}", f"Nguồn: {citation_text(row)}"]
    return "\n".join(parts)


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
