"""CSV ledger bytes into rows: the encodings and separators Chinese offices save with."""

from __future__ import annotations

import csv
import re
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


LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")  # as newline="" splits: only \r, \n


def _lines(text: str) -> Iterator[str]:
    """The text's lines, ends kept, one at a time: no second copy of a 20 MB file's text (a
    StringIO holds one, at four bytes a character)."""
    return (m.group() for m in LINE.finditer(text))


def _records(text: str, delimiter: str, *, strict: bool, into: list[Row]) -> None:
    reader = csv.reader(_lines(text), delimiter=delimiter, strict=strict)
    # a record is a spreadsheet row even when a quoted cell spans several lines
    for number, record in enumerate(reader, start=1):
        into.append((number, tuple(record)))


def csv_rows(data: bytes) -> Iterator[Row]:
    text = decode_text(data)
    delimiter = sniff_delimiter(text)
    rows: list[Row] = []
    try:
        # strict first: only strict parsing notices a quote left open at the end of the file
        _records(text, delimiter, strict=True, into=rows)
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise UnclosedQuoteError(len(rows) + 1) from exc
        rows = []
        try:
            _records(text, delimiter, strict=False, into=rows)
        except csv.Error as loose_exc:
            raise UnreadableFileError from loose_exc
    del text  # the rows hold what the file says
    yield from rows
