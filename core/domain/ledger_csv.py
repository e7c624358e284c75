"""CSV ledger bytes into rows: the encodings and separators Chinese offices save with."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

Row = tuple[int, tuple[object, ...]]
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class UnreadableFileError(Exception):
    """The bytes are not a readable CSV or XLSX file."""


class UnclosedQuoteError(UnreadableFileError):
    """A CSV quote opened at `row` never closes: every following row would be swallowed."""

    def __init__(self, row: int) -> None:
        super().__init__(row)
        self.row = row


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


def csv_rows(data: bytes) -> Iterator[Row]:
    text = decode_text(data)
    delimiter = sniff_delimiter(text)
    records: list[list[str]] = []
    try:
        # strict first: only strict parsing notices a quote left open at the end of the file
        records.extend(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise UnclosedQuoteError(len(records) + 1) from exc
        records = []
        try:
            loose = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
            records.extend(loose)
        except csv.Error as loose_exc:
            raise UnreadableFileError from loose_exc
    # a record is a spreadsheet row even when a quoted cell spans several lines
    for number, record in enumerate(records, start=1):
        yield number, tuple(record)
