"""A corpus of ledgers made the way offices make them, each with the values it must be read as.

Every case builds its file at test time (openpyxl, csv) except old Excel (.xls), which nothing
here writes: those few are committed in tests/ledgers/ (made by tests/ledgers/make_xls.py).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from core.domain.ledger import Problem
from core.domain.model import Status

HERE = Path(__file__).parent / "ledgers"
ZH = [
    "编号",
    "方面",
    "问题",
    "整改措施",
    "责任领导",
    "牵头单位",
    "责任单位",
    "责任人",
    "完成时限",
    "状态",
]
EN = ["Code", "Area", "Problem", "Measure", "Responsible leader", "Lead unit", "Co-units", "Owner",
      "Deadline", "Status"]  # fmt: skip
S = Status


def base(code: str = "1", **over: Any) -> list[Any]:
    """One data row under ZH, with some fields replaced (by header name)."""
    values = dict(zip(ZH, [code, "政治建设方面", "学习不深入", "建立第一议题制度", "王书记",
                           "党工委办公室", "组织部、宣传部", "周强", "2024-10-31", "推进中"],
                      strict=True))  # fmt: skip
    values.update(over)
    return [values[h] for h in ZH]


# what a base row is read as; a case's expected rows replace some of these
EXPECTED: dict[str, Any] = {
    "area": "政治建设方面", "problem": "学习不深入", "measure": "建立第一议题制度",
    "leader": "王书记", "co_leaders": (), "lead_unit": "党工委办公室", "co_units": ("组织部", "宣传部"),
    "owner": "周强", "co_owners": (), "deadline": date(2024, 10, 31), "status": S.IN_PROGRESS,
    "contacts": (), "immediate": False, "progress": "", "original_deadline": None,
}  # fmt: skip


@dataclass
class Case:
    """One ledger file and what reading it must give."""

    name: str
    filename: str
    make: Callable[[], bytes]
    rows: list[dict[str, Any]] = field(
        default_factory=list
    )  # per row: fields differing from EXPECTED
    refused: set[tuple[int | None, str | None, Problem]] = field(default_factory=set)
    preview: list[str] = field(default_factory=list)  # lines the zh preview (or refusal) holds

    def expected(self) -> list[dict[str, Any]]:
        """Every field of every row, as it must be read."""
        return [{**EXPECTED, **r} for r in self.rows]


def csv_of(
    table: list[list[Any]], encoding: str = "utf-8", delimiter: str = ","
) -> Callable[[], bytes]:
    def make() -> bytes:
        buf = io.StringIO()
        csv.writer(buf, delimiter=delimiter).writerows(table)
        return buf.getvalue().encode(encoding)

    return make


def xlsx_of(
    table: list[list[Any]], *, merges: Sequence[str] = (), hidden_rows: Sequence[int] = (),
    extra: dict[str, list[list[Any]]] | None = None, hidden_sheets: Sequence[str] = (),
) -> Callable[[], bytes]:  # fmt: skip
    def make() -> bytes:
        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = "台账"
        for r, values in enumerate(table, start=1):
            for c, value in enumerate(values, start=1):
                if value is not None:
                    ws.cell(row=r, column=c, value=value)
        for rng in merges:
            ws.merge_cells(rng)
        for r in hidden_rows:
            ws.row_dimensions[r].hidden = True
        for title, rows in (extra or {}).items():
            other = wb.create_sheet(title)
            for values in rows:
                other.append(values)
            if title in hidden_sheets:
                other.sheet_state = "hidden"
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()

    return make


def fixture(name: str) -> Callable[[], bytes]:
    return lambda: (HERE / name).read_bytes()


TITLE = ["2024年巡视整改台账"]
FILL = [
    "填报单位：党工委办公室",
    None,
    None,
    None,
    None,
    None,
    None,
    None,
    "填报时间：2024年9月30日",
]
THREE = [base("1"), base("2", 整改措施="开展专题培训"), base("3", 整改措施="精简会议文件")]
R3 = [
    {"code": "1"},
    {"code": "2", "measure": "开展专题培训"},
    {"code": "3", "measure": "精简会议文件"},
]
FIELDS_READ = "读取的列（字段：文件中的列名，两者不同时列出）：编号；方面；"


def cases() -> list[Case]:
    """The corpus."""
    c: list[Case] = []
    add = c.append
    add(Case("csv utf-8", "台账.csv", csv_of([ZH, *THREE]), R3, preview=[FIELDS_READ]))
    add(Case("csv gbk without bom", "台账.csv", csv_of([ZH, *THREE], "gb18030"), R3))
    add(Case("csv utf-8 bom, tabs, named .xls by an OA system", "导出.xls",
             csv_of([ZH, *THREE], "utf-8-sig", "\t"), R3))  # fmt: skip
    add(Case("xlsx with title and 填报 line", "台账.xlsx", xlsx_of([TITLE, FILL, ZH, *THREE]), R3))
    add(Case("xlsx saved under an .xls name", "台账.xls", xlsx_of([ZH, *THREE]), R3))
    add(Case("xlsm", "台账.xlsm", xlsx_of([ZH, *THREE]), R3))
    # a header in two rows, merged: 编号… merged down, 责任单位 across 牵头单位 and 配合单位
    two_up = [
        "编号",
        "方面",
        "问题",
        "整改措施",
        "责任领导",
        "责任单位",
        None,
        "责任人",
        "完成时限",
        "状态",
    ]
    two_low = [None, None, None, None, None, "牵头单位", "配合单位", None, None, None]
    merged = [f"{col}1:{col}2" for col in "ABCDEHIJ"] + ["F1:G1"]
    add(Case("xlsx header in two merged rows", "台账.xlsx",
             xlsx_of([two_up, two_low, *THREE], merges=merged), R3))  # fmt: skip
    add(Case("xlsx header in two rows without merges", "台账.xlsx",
             xlsx_of([TITLE, two_up, two_low, *THREE]), R3,
             preview=["；牵头单位；责任单位：配合单位；"]))  # fmt: skip
    area_merged = [ZH, base("1"), base("2", 方面=None), base("3", 方面=None)]
    add(Case("xlsx 方面 merged over its measures", "台账.xlsx",
             xlsx_of(area_merged, merges=["B2:B4"]), [{"code": "1"}, {"code": "2"}, {"code": "3"}]))  # fmt: skip
    dated = [
        ZH,
        base("1", 完成时限=datetime(2024, 10, 31)),
        base("2", 完成时限=datetime(2024, 1, 1, 10)),
    ]
    add(Case("xlsx date and date-time cells", "台账.xlsx", xlsx_of(dated),
             [{"code": "1"}, {"code": "2", "deadline": date(2024, 1, 1)}]))  # fmt: skip
    timed = [ZH, base("1", 完成时限="2024/1/1 10:00"), base("2", 完成时限="2024/12/1 12:00"),
             base("3", 完成时限="2024-09-30T08:30:00")]  # fmt: skip
    add(Case("csv dates with a time", "台账.csv", csv_of(timed), [
        {"code": "1", "deadline": date(2024, 1, 1)}, {"code": "2", "deadline": date(2024, 12, 1)},
        {"code": "3", "deadline": date(2024, 9, 30)}]))  # fmt: skip
    done = [h if h != "状态" else "整改完成情况" for h in ZH]
    add(Case("status under 整改完成情况", "台账.csv",
             csv_of([done, base("1", 状态="已完成"), base("2", 状态="推进中")]),
             [{"code": "1", "status": S.CLOSED}, {"code": "2"}],
             preview=["状态：整改完成情况"]))  # fmt: skip
    extra = ["序号", *ZH, "备注说明", "灯"]
    add(Case("serial number and columns not read", "台账.csv",
             csv_of([extra, [1, *base("1"), "无", "绿"]]), [{"code": "1"}],
             preview=["未读取的列：序号、备注说明和灯。"]))  # fmt: skip
    add(Case("people cells with brackets", "台账.csv", csv_of([ZH, base(
        "1", 责任人="周强（联络员、科长）", 责任领导="管委会副主任（分管城建、规划）")]),
        [{"code": "1", "owner": "周强", "leader": "管委会副主任（分管城建、规划）"}]))  # fmt: skip
    add(Case("owners separated by a space", "台账.csv", csv_of([ZH, base("1", 责任人="吴芳 钱进"),
             base("2", 责任人="张  三")]),
             [{"code": "1", "owner": "吴芳", "co_owners": ("钱进",)},
              {"code": "2", "owner": "张三"}]))  # fmt: skip
    add(Case("several responsible leaders", "台账.csv", csv_of([ZH, base("1", 责任领导="李明、王强"),
             base("2", 责任领导="李明，管委会副主任（分管城建、规划）")]),
             [{"code": "1", "leader": "李明", "co_leaders": ("王强",)},
              {"code": "2", "leader": "李明", "co_leaders": ("管委会副主任（分管城建、规划）",)}]))  # fmt: skip
    add(Case("owners with phones", "台账.csv",
             csv_of([ZH, base("1", 责任人="周强（13800001111）、孙磊")]),
             [{"code": "1", "co_owners": ("孙磊",), "contacts": (("周强", "13800001111"),)}]))  # fmt: skip
    contact = [*ZH, "联系人", "联系电话"]
    add(Case("责任人 with 联系人 and 联系电话", "台账.csv", csv_of([contact,
             [*base("1"), "孙磊（13900002222）", ""], [*base("2"), "", "13800001111"]]),
             [{"code": "1", "contacts": (("孙磊", "13900002222"),)},
              {"code": "2", "contacts": (("周强", "13800001111"),)}]))  # fmt: skip
    lone = [h if h != "责任人" else "联系人" for h in ZH]
    add(Case("a lone 联系人 column is the owner", "台账.csv", csv_of([lone, base("1")]),
             [{"code": "1"}], preview=["责任人：联系人"]))  # fmt: skip
    add(Case("hidden rows are skipped and named", "台账.xlsx",
             xlsx_of([ZH, *THREE], hidden_rows=[3]), [R3[0], R3[2]],
             preview=["已跳过隐藏行：第3行。"]))  # fmt: skip
    add(Case("a hidden sheet is never offered", "台账.xlsx",
             xlsx_of([ZH, *THREE], extra={"旧台账": [ZH, base("9")]}, hidden_sheets=["旧台账"]), R3))  # fmt: skip
    totals = [ZH, *THREE, ["合计", None, None, "3项"], ["填表人：赵敏", None, "审核人：钱七", None,
              "联系电话：13800001111"]]  # fmt: skip
    add(Case("合计 and 填表人 lines end the table", "台账.xlsx", xlsx_of(totals), R3,
             preview=["表格至第5行（合计 3项）结束"]))  # fmt: skip
    footer = [ZH, *THREE, [None, "填表人：赵敏", None, "审核人：钱七"]]
    add(Case("a 填表人 line alone ends the table", "台账.csv", csv_of(footer), R3))
    words = [
        ZH,
        base("1", 状态="已完成（待销号）"),
        base("2", 状态="持续整改"),
        base("3", 状态="部分完成"),
    ]
    add(Case("statuses 已完成（待销号）, 持续整改, 部分完成", "台账.csv", csv_of(words), [
        {"code": "1", "status": S.PENDING_SIGNOFF}, {"code": "2"}, {"code": "3"}]))  # fmt: skip
    renamed = [h if h != "状态" else "整改状态" for h in ZH]
    add(Case("基本完成 is refused, the column as the file wrote it", "台账.csv",
             csv_of([renamed, base("1", 状态="基本完成")]),
             refused={(2, "status", Problem.AMBIGUOUS_STATUS)},
             preview=["第2行“整改状态（状态）”列：“基本完成”未说明是否已完成", "可识别的状态："]))  # fmt: skip
    due = [ZH, base("1", 完成时限="2024.10.31前"), base("2", 完成时限="2024年10月31日之前"),
           base("3", 完成时限="2025年上半年"), base("4", 完成时限="2024年下半年")]  # fmt: skip
    add(Case("deadlines with 前, 之前, 上半年", "台账.csv", csv_of(due), [
        {"code": "1"}, {"code": "2"}, {"code": "3", "deadline": date(2025, 6, 30)},
        {"code": "4", "deadline": date(2024, 12, 31)}]))  # fmt: skip
    add(Case("a date without a year in a ledger titled with one", "台账.xlsx",
             xlsx_of([TITLE, ZH, base("1", 完成时限="12月31号"), base("2", 完成时限="10月底前")]),
             [{"code": "1", "deadline": date(2024, 12, 31)}, {"code": "2"}],
             preview=["未写年份的日期按2024年读取。"]))  # fmt: skip
    add(Case("a date without a year, the others all in one year", "台账.csv",
             csv_of([ZH, base("1", 完成时限="12月31号"), base("2")]),
             [{"code": "1", "deadline": date(2024, 12, 31)}, {"code": "2"}]))  # fmt: skip
    add(Case("a date without a year, the year unclear", "台账.csv",
             csv_of([ZH, base("1", 完成时限="12月31号"), base("2"), base("3", 完成时限="2025-03-31")]),
             refused={(2, "deadline", Problem.NO_YEAR)}, preview=["日期未写年份"]))  # fmt: skip
    html = "<html><head><meta charset='utf-8'></head><body><table><tr><td>编号</td></tr></table>".encode()
    add(Case("an HTML table named .xls", "导出.xls", lambda: html,
             refused={(None, None, Problem.HTML_FILE)},
             preview=["在Excel中另存为Excel工作簿（.xlsx）后重新发送"]))  # fmt: skip
    # the shape of a workbook encrypted with a password to open: an OLE file with this stream
    sealed = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le")
    )
    add(Case("a workbook with a password to open", "台账.xlsx", lambda: sealed,
             refused={(None, None, Problem.ENCRYPTED)}, preview=["设有打开密码"]))  # fmt: skip
    xls_rows: list[dict[str, Any]] = [
        {"code": "1", "problem": "学习不深入", "lead_unit": "党工委办公室", "co_units": (),
         "status": S.CLOSED, "contacts": (("周强", "13800001111"),)},
        {"code": "2", "measure": "开展专题培训", "co_leaders": ("李主任",), "lead_unit": "组织部",
         "co_units": (), "owner": "吴芳", "co_owners": ("钱进",), "deadline": date(2024, 12, 1)},
        {"code": "3", "area": "作风建设方面", "problem": "会风不实", "measure": "精简会议文件",
         "leader": "管委会副主任（分管城建、规划）", "lead_unit": "党政办", "co_units": (),
         "owner": "孙磊", "deadline": None, "status": S.LONG_TERM},
    ]  # fmt: skip
    add(Case("old Excel (.xls) with merges, dates and a footer", "台账.xls", fixture("old_excel.xls"),
             xls_rows, preview=["表格至第8行（填表人：赵敏 审核人：钱七）结束"]))  # fmt: skip
    add(Case("old Excel with a hidden sheet", "台账.xls", fixture("hidden_sheet.xls"), xls_rows))
    numerals = [ZH, base("一、"), base("（一）"), base("1.")]
    add(Case("codes in Chinese numerals are kept as written", "台账.csv", csv_of(numerals),
             [{"code": "一、"}, {"code": "（一）"}, {"code": "1."}]))  # fmt: skip
    en = [EN, ["A-1", "Governance", "Weak follow-up", "Set up a tracker", "Director Li", "Office",
               "Finance; HR", "Ann Lee, Bob Chan", "2024-10-31 17:00", "Done"]]  # fmt: skip
    add(Case("English header and words", "ledger.csv", csv_of(en), [{
        "code": "A-1", "area": "Governance", "problem": "Weak follow-up",
        "measure": "Set up a tracker", "leader": "Director Li", "lead_unit": "Office",
        "co_units": ("Finance", "HR"), "owner": "Ann Lee", "co_owners": ("Bob Chan",),
        "status": S.CLOSED}]))  # fmt: skip
    return c
