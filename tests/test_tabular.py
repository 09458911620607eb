"""Spreadsheet import/export: round trip, a plan before applying, bad rows named, one transaction."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from knowledge import KnowledgeBase
from knowledge.errors import ValidationError
from knowledge.tabular import apply_import, export_csv, export_xlsx, plan_import


def test_xlsx_round_trip_is_a_no_op(sample_kb: KnowledgeBase, tmp_path: Path) -> None:
    path = tmp_path / "kb.xlsx"
    export_xlsx(sample_kb.entries(), path)
    plan = plan_import(sample_kb, path)
    assert (plan.add, plan.change, plan.missing) == ([], [], [])


def test_csv_change_add_and_remove(sample_kb: KnowledgeBase, tmp_path: Path) -> None:
    lines = export_csv(sample_kb.entries(), "en").splitlines()
    header, rows = lines[0], lines[1:]
    rows = [r.replace("600元", "800元") for r in rows if not r.endswith(",anqing-red")]
    rows.append(rows[0].replace(",furong-data-20g", ",furong-data-extra", 1))
    path = tmp_path / "kb.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    plan = plan_import(sample_kb, path)
    assert [e.id for e in plan.add] == ["furong-data-extra"]
    assert [(e.id, f) for e, f in plan.change] == [("furong-red-600", ["title", "answer", "amount"])]
    assert plan.missing == ["anqing-red"]
    apply_import(sample_kb, plan, "cli:test", delete_missing=True)
    assert sample_kb.get("furong-red-600").amount == "800元"
    assert {e.id for e in sample_kb.entries()} == {"furong-data-20g", "furong-data-extra", "furong-red-600",
                                                   "national-overtime"}


def test_bad_cell_names_row_and_column_and_changes_nothing(sample_kb: KnowledgeBase, tmp_path: Path) -> None:
    path = tmp_path / "kb.xlsx"
    export_xlsx(sample_kb.entries(), path)
    book = load_workbook(path)
    sheet = book.active
    sheet["B3"] = "lottery"          # intent column, second data row
    book.save(path)
    before = sample_kb.entries()
    with pytest.raises(ValidationError) as info:
        plan_import(sample_kb, path)
    assert "第3行" in info.value.describe() and "intent" in info.value.describe()
    assert sample_kb.entries() == before


def test_unknown_format_and_unknown_column(sample_kb: KnowledgeBase, tmp_path: Path) -> None:
    bad = tmp_path / "kb.txt"
    bad.write_text("x", encoding="utf-8")
    with pytest.raises(ValidationError, match="只支持"):
        plan_import(sample_kb, bad)
    csv_path = tmp_path / "kb.csv"
    csv_path.write_text("id,weather\nx,sunny\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="weather"):
        plan_import(sample_kb, csv_path)
