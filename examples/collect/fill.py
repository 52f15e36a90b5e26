"""Fill a template as a clerk of 朝陽區 would: three good rows, one bad cell, one item typed by hand.

shuzheng template city --unit 朝陽區 -o examples/collect/
python3 examples/collect/fill.py examples/collect/朝陽區_台账模板.xlsx examples/collect/inbox/朝阳区_2024-09.xlsx
"""

from __future__ import annotations

import datetime as dt
import sys

import openpyxl

ROWS = [
    # 序号, 日期, 指标编号, 指标名称, 区, 数量, 单位, 项目, 编号, 责任单位, 备注
    [1, dt.date(2024, 9, 2), "1.1", "拆除違法建設", "朝陽區", 1200, "平方米", None, "CY-0901", "朝陽區", None],
    [2, dt.date(2024, 9, 3), "1.1", "拆除違法建設", "朝陽區", "1,2O0", "平方米", None, "CY-0902", "朝陽區", "O for 0"],
    [
        3,
        dt.date(2024, 9, 5),
        "3.2",
        "第一批城鄉結合部改造試點鄉",
        "朝陽區",
        None,
        None,
        "来广营",
        None,
        "朝陽區",
        "手填",
    ],
    [4, dt.date(2024, 9, 6), "1.1", "拆除違法建設", "朝陽區", -200, "平方米", None, "CY-0903", "朝陽區", "更正"],
]


def main(template: str, dest: str) -> None:
    book = openpyxl.load_workbook(template)
    sheet = book.worksheets[0]  # 台账 (Ledger in an English template)
    for r, values in enumerate(ROWS, start=2):
        for c, value in enumerate(values, start=1):
            if value is not None:
                sheet.cell(row=r, column=c, value=value)
    book.save(dest)


if __name__ == "__main__":
    main(*sys.argv[1:3])
