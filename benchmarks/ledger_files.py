"""Big ledger files (CSV and XLSX) grown from the sample ledger's columns and rows.

`python -m benchmarks.ledger_files 10000 out/` writes out/ledger-10000.csv and .xlsx.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[1] / "bot" / "sandbox" / "data" / "ledger.zh.csv"
OWNERS = 2000  # the programme: 10,000 measures, 2,000 owners
UNITS = 200


def sample() -> tuple[list[str], list[list[str]]]:
    """The sample ledger's header and rows."""
    with SAMPLE.open(encoding="utf-8-sig", newline="") as f:
        header, *rows = list(csv.reader(f))
    return header, rows


def table(
    n: int, *, edited: bool = False, independent: bool = False
) -> tuple[list[str], list[list[str]]]:
    """n rows: the sample's 42 measures over and over, each copy a further round of problems.

    `edited` gives the same ledger as a coordinator updates it: every tenth measure reworded,
    every twentieth with another owner. `independent` gives the issue's independent ledger: a
    problem of its own for 19 rows in 20 (about 9,500 distinct problems in 10,000 rows).
    """
    header, base = sample()
    at = {name: i for i, name in enumerate(header)}
    out: list[list[str]] = []
    for k in range(n):
        row = list(base[k % len(base)])
        copy = k // len(base) + 1
        owner = k % OWNERS + (k % 20 == 0 and edited)
        unit = f"第{owner % UNITS + 1}单位"
        row[at["编号"]] = f"{copy}-{row[at['编号']]}"
        round_ = k if independent and k % 20 else copy // 4 + 1
        row[at["问题"]] = f"{row[at['问题']]}（{round_}）"
        row[at["整改措施"]] += f"（第{k + 1}项{'，已修订' if edited and k % 10 == 0 else ''}）"
        row[at["牵头单位"]] = unit
        row[at["责任人"]] = f"{unit}联络员{owner // UNITS + 1}"
        out.append(row)
    return header, out


def csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    """The table as a UTF-8 CSV with a BOM, as Excel saves it."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows([header, *rows])
    return buf.getvalue().encode("utf-8-sig")


def xlsx_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    """The table as a one-sheet workbook (written streaming: 50,000 rows in seconds)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("台账")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def write(
    n: int, folder: Path, *, edited: bool = False, independent: bool = False
) -> tuple[Path, Path]:
    """Write the n-row ledger as CSV and XLSX into folder (kept when already there)."""
    folder.mkdir(parents=True, exist_ok=True)
    tail = ("-edited" if edited else "") + ("-independent" if independent else "")
    stem = folder / f"ledger-{n}{tail}"
    paths = stem.with_suffix(".csv"), stem.with_suffix(".xlsx")
    if not all(p.exists() for p in paths):
        header, rows = table(n, edited=edited, independent=independent)
        paths[0].write_bytes(csv_bytes(header, rows))
        paths[1].write_bytes(xlsx_bytes(header, rows))
    return paths


if __name__ == "__main__":
    for path in write(int(sys.argv[1]), Path(sys.argv[2])):
        print(path, path.stat().st_size)
