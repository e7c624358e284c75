"""Turn ledger file bytes (CSV or XLSX) into raw rows of cells, numbered as a spreadsheet shows them."""

from __future__ import annotations

import csv
import io
import warnings
from collections.abc import Iterable, Iterator
from typing import Literal

Kind = Literal["csv", "xlsx"]
Row = tuple[int, tuple[object, ...]]

ZIP_MAGIC = b"PK\x03\x04"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
BLANK_RUN = 1000


class UnreadableFileError(Exception):
    """The bytes are not a readable CSV or XLSX file."""


def file_kind(data: bytes, filename: str) -> Kind | None:
    """CSV or XLSX by extension; None for any other type."""
    name = filename.strip().lower()
    ext = name.rsplit(".", 1)[-1] if "." in name else ""
    if ext == "xlsx":
        return "xlsx"
    if ext == "csv":
        # a workbook saved under a .csv name is still a workbook
        return "xlsx" if data.startswith(ZIP_MAGIC) else "csv"
    if not ext:
        # chat clients may drop the name; the zip signature is unambiguous
        return "xlsx" if data.startswith(ZIP_MAGIC) else "csv"
    return None


def is_blank(cells: Iterable[object]) -> bool:
    """True when no cell holds anything but whitespace."""
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def read_rows(data: bytes, kind: Kind, limit: int) -> list[Row]:
    """Non-blank rows with their spreadsheet row numbers, at most `limit` of them."""
    rows = _csv_rows(data) if kind == "csv" else _xlsx_rows(data)
    out: list[Row] = []
    last = 0
    for number, cells in rows:
        if is_blank(cells):
            # formatting often runs far below the data; a long blank run is the end of the sheet
            if number - last > BLANK_RUN:
                break
            continue
        last = number
        out.append((number, cells))
        if len(out) >= limit:
            break
    return out


def decode_text(data: bytes) -> str:
    """Decode CSV bytes: UTF-8 (BOM or not), UTF-16 with a BOM, else GB18030."""
    if data.startswith(UTF16_BOMS):
        # Excel's "Unicode text" export; the BOM makes this unambiguous
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        # GB18030 encodes a BOM as 84 31 95 33, which decodes to U+FEFF
        return text.removeprefix("\ufeff")
    raise UnreadableFileError


def sniff_delimiter(text: str) -> str:
    """Comma, tab or semicolon, judged from the first non-blank line."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    try:
        return csv.Sniffer().sniff(header, delimiters=",\t;").delimiter
    except csv.Error:
        return ","


def _csv_rows(data: bytes) -> Iterator[Row]:
    text = decode_text(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    try:
        # a record is a spreadsheet row even when a quoted cell spans several lines
        for number, record in enumerate(reader, start=1):
            yield number, tuple(record)
    except csv.Error as exc:
        raise UnreadableFileError from exc


def _xlsx_rows(data: bytes) -> Iterator[Row]:
    from openpyxl import load_workbook  # imported late: CSV-only callers need not pay for it

    if not data.startswith(ZIP_MAGIC):
        raise UnreadableFileError
    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and extensions it ignores; they do not affect values
            warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                sheets = [ws for ws in book.worksheets if hasattr(ws, "iter_rows")]
                if not sheets:
                    raise UnreadableFileError
                sheet = sheets[0]
                # files from other tools often carry a wrong or missing <dimension>
                sheet.reset_dimensions()
                for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
                    yield number, tuple(cells)
            finally:
                book.close()
    except UnreadableFileError:
        raise
    except Exception as exc:
        # a damaged zip or workbook fails in many library-specific ways; none may reach the caller
        raise UnreadableFileError from exc
