"""The spreadsheet staff use: Chinese headers, dropdowns, 说明 sheet, and the round trip
export -> edit -> import --dry-run -> import in both header languages."""

from __future__ import annotations

import argparse
import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.cli_kb import cmd_export, cmd_import
from bot.config import Config
from knowledge import KnowledgeBase

ZH = ["地区", "话题", "标题", "回答", "金额", "谁能领", "怎么领", "联系方式", "开始日期", "截止日期", "来源", "常见问法"]


def _export(config: Config, path: Path, headers: str) -> None:
    args = argparse.Namespace(json=False, yaml=None, csv=path if path.suffix == ".csv" else None,
                              xlsx=path if path.suffix == ".xlsx" else None, headers=headers)
    assert cmd_export(args, config) == 0


def _import(config: Config, path: Path, dry_run: bool) -> int:
    return cmd_import(argparse.Namespace(file=path, dry_run=dry_run, delete_missing=False, actor="staff"), config)


def test_the_workbook_is_readable(sample_kb: KnowledgeBase, db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "kb.xlsx"
    _export(Config(database=db_path), path, "zh")
    book = load_workbook(path)
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[:12] == ZH and {"年份", "类型", "已确认", "编号"} <= set(header)
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["D"].width >= 50            # 回答
    assert sheet["D2"].alignment.wrap_text
    ranges = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in sheet.data_validations.dataValidation}
    assert "A2" in ranges and "B2" in ranges                   # 地区 and 话题 dropdowns
    lists = book["lists"]
    assert "红包补贴" in [c.value for c in lists["A"]] and "安徽省安庆市迎江区" in [c.value for c in lists["B"]]
    notes = book["说明"]
    assert [c.value for c in notes[1]] == ["列名", "英文列名", "必填", "怎么填"]
    assert "话题" in [c.value for c in notes["A"]]
    assert sheet["B2"].value in ("红包补贴", "免费流量", "工资权益")   # topics in words, not labels


@pytest.mark.parametrize(("headers", "suffix"), [("zh", ".xlsx"), ("en", ".xlsx"), ("zh", ".csv")])
def test_round_trip_edit_dry_run_then_import(sample_kb: KnowledgeBase, db_path: Path, tmp_path: Path,
                                             capsys, headers: str, suffix: str) -> None:
    config = Config(database=db_path)
    path = tmp_path / f"kb{suffix}"
    _export(config, path, headers)
    amount_col, id_col = ("金额", "编号") if headers == "zh" else ("amount", "id")
    if suffix == ".xlsx":
        book = load_workbook(path)
        sheet = book.worksheets[0]
        names = [c.value for c in sheet[1]]
        rows = list(sheet.iter_rows(min_row=2))
        target = next(r for r in rows if r[names.index(id_col)].value == "furong-red-600")
        target[names.index(amount_col)].value = "800元"
        copy = [c.value for c in target]
        copy[names.index(id_col)] = "furong-red-2027"
        copy[names.index("年份" if headers == "zh" else "season")] = 2027
        sheet.append(copy)
        book.save(path)
    else:
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
        names = rows[0]
        target = next(r for r in rows if r[names.index(id_col)] == "furong-red-600")
        copy = list(target)
        target[names.index(amount_col)] = "800元"
        copy[names.index(id_col)], copy[names.index("年份")] = "furong-red-2027", "2027"
        rows.append(copy)
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8-sig")
    capsys.readouterr()
    assert _import(config, path, dry_run=True) == 0
    out = capsys.readouterr().out
    assert "新增 1：furong-red-2027" in out and "furong-red-600(amount)" in out and "--dry-run" in out
    assert sample_kb.get("furong-red-600").amount == "600元"
    assert _import(config, path, dry_run=False) == 0
    assert sample_kb.get("furong-red-600").amount == "800元"
    assert sample_kb.get("furong-red-2027").season == 2027


def test_chinese_errors_name_the_chinese_column(sample_kb: KnowledgeBase, db_path: Path, tmp_path: Path,
                                                capsys) -> None:
    path = tmp_path / "kb.xlsx"
    _export(Config(database=db_path), path, "zh")
    book = load_workbook(path)
    book.worksheets[0]["B2"] = "彩票"
    book.save(path)
    assert _import(Config(database=db_path), path, dry_run=True) == 1
    assert "第2行" in capsys.readouterr().err


def test_a_row_added_without_an_id_gets_one(sample_kb: KnowledgeBase, db_path: Path, tmp_path: Path, capsys) -> None:
    path = tmp_path / "kb.xlsx"
    _export(Config(database=db_path), path, "zh")
    book = load_workbook(path)
    sheet = book.worksheets[0]
    names = [c.value for c in sheet[1]]
    row = [c.value for c in sheet[2]]
    row[names.index("编号")] = None
    row[names.index("标题")] = "2027年新加的一项"
    row[names.index("年份")] = 2027
    sheet.append(row)
    book.save(path)
    assert _import(Config(database=db_path), path, dry_run=False) == 0
    added = [e for e in sample_kb.entries() if e.title == "2027年新加的一项"]
    assert len(added) == 1 and "-2027-" in added[0].id
