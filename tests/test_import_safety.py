"""Bad input gets a clear answer and changes nothing: imports, admin buttons, huge ids."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from bot.cli import main
from knowledge import KnowledgeBase, open_db
from knowledge.errors import ValidationError
from knowledge.tabular import COLUMNS, export_csv, export_xlsx, plan_import
from tests.botharness import ADMIN, running_bot

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


def refused(kb: KnowledgeBase, path: Path) -> str:
    before = kb.entries()
    with pytest.raises(ValidationError) as info:
        plan_import(kb, path)
    assert kb.entries() == before
    return info.value.describe()


def test_empty_and_header_only_files_are_refused(sample_kb: KnowledgeBase, tmp_path: Path) -> None:
    empty, header = tmp_path / "empty.csv", tmp_path / "header.csv"
    empty.write_text("", encoding="utf-8")
    header.write_text(",".join(COLUMNS) + "\n", encoding="utf-8")
    for path in (empty, header):
        assert "文件里没有条目（空文件或只有表头），什么都没有改" in refused(sample_kb, path)
    book = Workbook()
    book.active.append(list(COLUMNS))
    book.save(tmp_path / "header.xlsx")
    assert "只有表头" in refused(sample_kb, tmp_path / "header.xlsx")


def test_corrupt_xlsx_extra_cells_and_nul_bytes(sample_kb: KnowledgeBase, tmp_path: Path) -> None:
    corrupt = tmp_path / "kb.xlsx"
    corrupt.write_bytes(b"PK\x03\x04 this is not a workbook")
    assert "不是有效的 .xlsx 文件（BadZipFile）" in refused(sample_kb, corrupt)
    lines = export_csv(sample_kb.entries()).splitlines()
    extra = tmp_path / "extra.csv"
    extra.write_text("\n".join([lines[0], lines[1], lines[2] + ",多出来的"]) + "\n", encoding="utf-8")
    assert "第3行" in refused(sample_kb, extra) and "比表头多出 1 个单元格" in refused(sample_kb, extra)
    nul = tmp_path / "nul.csv"
    nul.write_text("\n".join([lines[0], lines[1].replace("元", "元\x00", 1)]) + "\n", encoding="utf-8")
    assert "NUL" in refused(sample_kb, nul)
    sheet_path = tmp_path / "extra.xlsx"
    export_xlsx(sample_kb.entries(), sheet_path)
    book = load_workbook(sheet_path)
    book.active.cell(row=2, column=len(COLUMNS) + 2, value="表头外")
    book.save(sheet_path)
    assert "第2行" in refused(sample_kb, sheet_path) and "在表头之外" in refused(sample_kb, sheet_path)


def test_excel_dates_accepted_and_formulas_refused(sample_kb: KnowledgeBase, tmp_path: Path) -> None:
    path = tmp_path / "kb.xlsx"
    export_xlsx(sample_kb.entries(), path, lang="en")
    book = load_workbook(path)
    sheet = book.active
    column = {c.value: c.column_letter for c in sheet[1]}
    sheet[f"{column['valid_from']}2"] = dt.datetime(2021, 1, 20)        # a real Excel date cell
    sheet[f"{column['valid_from']}2"].number_format = "yyyy-mm-dd"
    book.save(path)
    plan = plan_import(sample_kb, path)
    first_id = sheet[f"{column['id']}2"].value
    assert [e.valid_from for e, f in plan.change if e.id == first_id] in ([dt.date(2021, 1, 20)], [])
    assert not any(e.valid_from != dt.date(2021, 1, 20) for e, f in plan.change)
    sheet[f"{column['contact']}3"] = '=HYPERLINK("http://evil.example","12345")'
    book.save(path)
    assert "第3行" in refused(sample_kb, path) and "contact 列是公式" in refused(sample_kb, path)


def test_export_guards_formula_like_cells_and_round_trips(sample_kb: KnowledgeBase, tmp_path: Path) -> None:
    entry = sample_kb.entries()[0]
    sample_kb.update(entry.id, {"amount": "=1+1", "contact": "@工会 -找人事"}, "test")
    text = export_csv(sample_kb.entries())
    assert "'=1+1" in text and "'@工会 -找人事" in text
    path = tmp_path / "kb.xlsx"
    export_xlsx(sample_kb.entries(), path)
    cells = [c for row in load_workbook(path).active.iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)
    plan = plan_import(sample_kb, path)
    assert (plan.add, plan.change, plan.missing) == ([], [], [])


@pytest.mark.parametrize(("body", "message"), [
    ("entries:\n  - null\n", "第 1 个条目不是键值对（是 空值）"),
    ("entries:\n  - 就一句话\n", "第 1 个条目不是键值对（是 文字）"),
    ("a: &a [x, x, x]\nb: &b [*a, *a, *a]\nentries: [*b]\n", "不支持 YAML 别名"),
    ("entries:\n  - id: a-1\n    title: 一\n    title: 二\n", "重复的键 'title'"),
    ("entries: 3\n", "文件顶层需要 entries 列表"),
    ("entries:\n  - id: [\n", "YAML 格式错误（第3行）"),
])
def test_bad_yaml_is_named(sample_kb: KnowledgeBase, tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "kb.yaml"
    path.write_text(body, encoding="utf-8")
    assert message in refused(sample_kb, path)


def test_delete_missing_above_a_fifth_needs_yes(tmp_path: Path, monkeypatch, capsys) -> None:
    db_path = tmp_path / "bot.db"
    monkeypatch.setenv("BOT_DATABASE", str(db_path))
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "")
    kb = KnowledgeBase(open_db(db_path))
    kb.ensure_loaded()
    total = len(kb.entries())
    kept = tmp_path / "few.csv"
    kept.write_text(export_csv(kb.entries()[:3]), encoding="utf-8")
    assert main(["kb", "import", str(kept), "--delete-missing"]) == 1
    err = capsys.readouterr().err
    assert f"不导入：--delete-missing 会删除 {total - 3} 条，占知识库 {total} 条的" in err and "请加 --yes" in err
    assert len(kb.entries()) == total
    assert main(["kb", "import", str(kept), "--delete-missing", "--yes"]) == 0
    assert len(kb.entries()) == 3
    assert kb.db.execute("SELECT COUNT(*) FROM audit WHERE action = 'delete'").fetchone()[0] == total - 3


async def test_malformed_buttons_and_huge_ids_get_a_clear_answer(db_path: Path) -> None:
    async with running_bot(db_path) as bot:
        for data in ("fq:", "fq:zz", "fq:v", "fq:f:anqing-red:__class__", "fq:e:x:y", "ua:a:-1:x", "ua:n:abc",
                     "ua:a:0", "ua:n:99999999999999999999999"):
            [answer] = await bot.tap(ADMIN, data)
            assert any(w in answer["text"] for w in ("按钮已失效", "没有这个条目", "已过期", "失效")), data
        [grant] = await bot.say(ADMIN, "/grant 12345678901234567890123")
        assert grant["text"] == "用法：/grant 用户id（数字，最多 16 位）"
        [start] = await bot.say(42, "/start st_12345678901234567890123")
        assert start["text"].startswith("这个二维码已失效")
        [station] = await bot.say(ADMIN, "/station qr 12345678901234567890123")
        assert station["text"].startswith("没办成")
        assert not [c for c in bot.server.sent_messages() if "出了点问题" in c["text"]]
