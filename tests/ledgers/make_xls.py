"""Write the old-Excel (.xls) fixtures beside this file; run by hand: `pip install xlwt`, then
`python tests/ledgers/make_xls.py`. Nothing at test time writes .xls, so the files are committed."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import xlwt  # type: ignore[import-not-found,import-untyped,unused-ignore]

HERE = Path(__file__).parent
HEADER = ["序号", "编号", "方面", "问题", "整改措施", "责任领导", "牵头单位", "责任人", "完成时限",
          "整改完成情况"]  # fmt: skip
ROWS = [
    [1, "1", "政治建设方面", "学习不深入", "建立第一议题制度", "王书记", "党工委办公室",
     "周强（13800001111）", datetime(2024, 10, 31), "已完成"],
    [2, "2", "政治建设方面", "学习不深入", "开展专题培训", "王书记、李主任", "组织部", "吴芳 钱进",
     "2024/12/1 12:00", "推进中"],
    [3, "3", "作风建设方面", "会风不实", "精简会议文件", "管委会副主任（分管城建、规划）", "党政办",
     "孙磊（联络员、科长）", "长期坚持", ""],
]  # fmt: skip


def ledger(path: Path, *, hidden_copy: bool = False) -> None:
    book = xlwt.Workbook(encoding="utf-8")
    day = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    if hidden_copy:
        old = book.add_sheet("旧台账")
        old.visibility = 1  # hidden: never offered as a ledger sheet
        for c, name in enumerate(HEADER):
            old.write(0, c, name)
        old.write(1, 1, "9")
    ws = book.add_sheet("台账")
    ws.write_merge(0, 0, 0, len(HEADER) - 1, "2024年巡视整改台账")
    ws.write(1, 0, "填报单位：党政办")
    for c, name in enumerate(HEADER):
        ws.write(2, c, name)
    for r, values in enumerate(ROWS, start=3):
        for c, value in enumerate(values):
            if isinstance(value, datetime):
                ws.write(r, c, value, day)
            elif c == 2 and r in (3, 4):
                continue  # 方面 merged down over its two measures
            else:
                ws.write(r, c, value)
    ws.write_merge(3, 4, 2, 2, "政治建设方面")
    ws.write(7, 0, "填表人：赵敏")
    ws.write(7, 3, "审核人：钱七")
    book.save(str(path))


if __name__ == "__main__":
    ledger(HERE / "old_excel.xls")
    ledger(HERE / "hidden_sheet.xls", hidden_copy=True)
