"""Import and export measures as YAML, CSV or XLSX (staff keep measures in spreadsheets).

Import validates every row first and reports the row and column of a problem; the plan
(added, changed, removed) is applied in one transaction.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from openpyxl import Workbook, load_workbook

from knowledge.errors import ValidationError, ValidationErrors
from knowledge.models import (
    ENTRY_INTENTS,
    FIELD_BY_NAME,
    FIELDS,
    INTENT_NAMES,
    KIND_NAMES,
    KINDS,
    LIST_FIELDS,
    Entry,
)
from knowledge.store import KnowledgeBase
from knowledge.yamlio import load_yaml, yaml_error

#: Spreadsheet columns in the order staff read them; names, headers and types come from FIELDS.
COLUMNS: tuple[str, ...] = ("region", "intent", "title", "answer", "amount", "eligibility", "how_to_claim", "contact",
                            "valid_from", "valid_to", "source", "questions", "season", "kind", "confirmed",
                            "local_note", "keywords", "id")
assert set(COLUMNS) == {f.name for f in FIELDS if f.editable or f.name == "id"}, "COLUMNS must follow FIELDS"
LIST_COLUMNS = set(LIST_FIELDS)
SEPARATOR = " | "
HEADERS_ZH = {name: FIELD_BY_NAME[name].header for name in COLUMNS}
#: Header (Chinese or English, and a few spoken variants) -> field name.
HEADER_NAMES: dict[str, str] = {**{n: n for n in COLUMNS}, **{h: n for n, h in HEADERS_ZH.items()},
                                "联系": "contact", "电话": "contact", "问法": "questions", "年度": "season",
                                "话题（意图）": "intent", "意图": "intent", "id": "id", "ID": "id",
                                "待核实": "review", "review": "review"}
#: Notes for reviewers (drafts); read and ignored on import.
REVIEW = "review"
WIDTHS = {"region": 22, "intent": 12, "title": 30, "answer": 60, "amount": 16, "eligibility": 36,
          "how_to_claim": 40, "contact": 36, "valid_from": 12, "valid_to": 12, "source": 30, "questions": 40,
          "season": 8, "kind": 14, "confirmed": 8, "local_note": 36, "keywords": 24, "id": 30}
INTENT_BY_NAME = {name: label for label, name in INTENT_NAMES.items() if label in ENTRY_INTENTS}
YES, NO = "是", "否"


def _cell(entry: Entry, column: str, lang: str) -> Any:
    value = getattr(entry, column)
    if column in LIST_COLUMNS:
        return SEPARATOR.join(value)
    if value is None:
        return ""
    if column in ("valid_from", "valid_to"):
        return value.isoformat()
    if lang == "zh":
        if column == "intent":
            return INTENT_NAMES.get(value, value)
        if column == "kind":
            return KIND_NAMES.get(value, value)
        if column == "confirmed":
            return YES if value else NO
    elif column == "confirmed":
        return "true" if value else "false"
    return guard_cell(value) if isinstance(value, str) else value


def _row(entry: Entry, lang: str = "zh") -> list[Any]:
    return [_cell(entry, c, lang) for c in COLUMNS]


def _header(lang: str) -> list[str]:
    return [HEADERS_ZH[c] if lang == "zh" else c for c in COLUMNS]


def export_csv(entries: list[Entry], lang: str = "zh") -> str:
    """CSV text with a header row (Chinese or English); list fields joined by " | "."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(_header(lang))
    writer.writerows(_row(e, lang) for e in entries)
    return out.getvalue()


def export_xlsx(entries: list[Entry], path: Path, lang: str = "zh", regions: list[str] | None = None,
                review: dict[str, list[str]] | None = None) -> None:
    """A workbook staff can use: readable widths, wrapped text, frozen header, dropdowns for
    话题/地区/类型/已确认, and a 说明 sheet explaining every column. With `review` (drafts), a
    last column 待核实 lists what to check in each row."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = "措施" if lang == "zh" else "measures"
    sheet.append(_header(lang) + (["待核实" if lang == "zh" else REVIEW] if review is not None else []))
    for entry in entries:
        sheet.append(_row(entry, lang) + (["\n".join(review.get(entry.id, []))] if review is not None else []))
    wrap = Alignment(wrap_text=True, vertical="top")
    if review is not None:
        column = get_column_letter(len(COLUMNS) + 1)
        sheet.column_dimensions[column].width = 50
        for cell in sheet[column]:
            cell.alignment = wrap
            cell.fill = PatternFill("solid", fgColor="FCE4D6")
    for index, column in enumerate(COLUMNS, 1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = WIDTHS[column]
        for cell in sheet[letter][1:]:
            cell.alignment = wrap
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="FFF2CC")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    sheet.freeze_panes = "A2"
    # dropdown values live on a hidden sheet (lists longer than 255 characters cannot be inline)
    lists = book.create_sheet("lists")
    lists.sheet_state = "hidden"
    if regions is None:
        from knowledge.gazetteer import Gazetteer
        regions = sorted(Gazetteer.from_yaml().regions)
    choices = {
        "intent": [INTENT_NAMES[i] for i in ENTRY_INTENTS] if lang == "zh" else list(ENTRY_INTENTS),
        "region": list(regions),
        "kind": list(KIND_NAMES.values()) if lang == "zh" else list(KINDS),
        "confirmed": [YES, NO] if lang == "zh" else ["true", "false"],
    }
    last = max(sheet.max_row, 2) + 500
    for n, (column, values) in enumerate(choices.items(), 1):
        col = get_column_letter(n)
        for row, value in enumerate(values, 1):
            lists[f"{col}{row}"] = value
        rule = DataValidation(type="list", formula1=f"=lists!${col}$1:${col}${len(values)}", allow_blank=True)
        rule.error, rule.errorTitle = "请从下拉列表里选", FIELD_BY_NAME[column].header
        sheet.add_data_validation(rule)
        letter = get_column_letter(COLUMNS.index(column) + 1)
        rule.add(f"{letter}2:{letter}{last}")
    help_sheet = book.create_sheet("说明")
    help_sheet.append(["列名", "英文列名", "必填", "怎么填"])
    for column in COLUMNS:
        spec = FIELD_BY_NAME[column]
        help_sheet.append([spec.header, column, "是" if spec.required else "", spec.help])
    help_sheet.append([])
    for line in ("用法：改好后先 python -m bot kb import 文件.xlsx --dry-run 看会改什么，再去掉 --dry-run 导入。",
                 "表头用中文或英文都可以；一行一项措施；“常见问法”“关键词”用 | 分隔多个。",
                 "“已确认”为“否”的行（比如沿用上一年生成的草稿）不会给工人看；核实后改成“是”。",
                 "新一年的措施请新加一行（新编号，年份写新的一年），别直接改上一年的行。"):
        help_sheet.append([line])
    for letter, width in zip("ABCD", (14, 14, 6, 80), strict=True):
        help_sheet.column_dimensions[letter].width = width
    for row in help_sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
    for cell in help_sheet[1]:
        cell.font = Font(bold=True)
    help_sheet.freeze_panes = "A2"
    book.save(path)


def export_yaml(entries: list[Entry]) -> str:
    """One YAML document with all entries."""
    from knowledge.yamlio import entry_to_yaml_dict

    return yaml.safe_dump({"entries": [entry_to_yaml_dict(e) for e in entries]}, allow_unicode=True,
                          sort_keys=False, width=1000)


FORMULA_START = ("=", "+", "-", "@")
MAX_IMPORT_BYTES = 20 * 1024 * 1024


def guard_cell(value: str) -> str:
    """Export: a text starting with = + - @ gets a leading ' so spreadsheets never run it."""
    return "'" + value if value.startswith(FORMULA_START) else value


def _unguard(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_START) else value


def read_rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """(row number, values) from a YAML, CSV or XLSX file.

    Refused with a message naming the file (and row): unreadable or corrupt files, an empty or
    header-only file, YAML aliases and duplicate keys, cells beyond the header, control
    characters such as NUL, formula cells. Excel date cells are read as dates.
    """
    suffix = path.suffix.lower()
    if suffix not in (".yaml", ".yml", ".csv", ".xlsx"):
        raise ValidationError("只支持 .yaml、.csv 和 .xlsx", file=path.name)
    try:
        if path.stat().st_size > MAX_IMPORT_BYTES:
            raise ValidationError(f"文件太大（超过 {MAX_IMPORT_BYTES // 1024 // 1024} MB）", file=path.name)
        if suffix in (".yaml", ".yml"):
            rows = _yaml_rows(path)
        elif suffix == ".csv":
            rows = _csv_rows(path)
        else:
            rows = _xlsx_rows(path)
    except ValidationError:
        raise
    except yaml.YAMLError as exc:
        raise ValidationError(yaml_error(exc), file=path.name) from exc
    except UnicodeDecodeError as exc:
        raise ValidationError("文件不是 UTF-8 编码", file=path.name) from exc
    except (csv.Error, OSError, KeyError, ValueError, TypeError) as exc:
        raise ValidationError(f"读不了这个文件: {exc}", file=path.name) from exc
    if not rows:
        raise ValidationError("文件里没有条目（空文件或只有表头），什么都没有改", file=path.name)
    return rows


def _yaml_rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    raw = load_yaml(path.read_text(encoding="utf-8"))
    items = raw.get("entries") if isinstance(raw, dict) else None
    if not isinstance(items, list):
        raise ValidationError("文件顶层需要 entries 列表", file=path.name)
    rows = []
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict):
            raise ValidationError(f"第 {n} 个条目不是键值对（是 {_kind(item)}）", file=path.name, row=n)
        _check_text(item, path.name, n)
        rows.append((n, item))
    return rows


def _csv_rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    text = path.read_text(encoding="utf-8-sig")
    if "\x00" in text:
        line = text[:text.index("\x00")].count("\n") + 1
        raise ValidationError("含有 NUL 字符（文件可能已损坏）", file=path.name, row=line)
    reader = csv.DictReader(io.StringIO(text))
    rows = []
    for n, row in enumerate(reader, 2):
        extra = row.pop(None, None)
        if extra and any(str(v).strip() for v in extra):
            raise ValidationError(f"比表头多出 {len(extra)} 个单元格", file=path.name, row=n)
        values = {k: _unguard(v) if isinstance(v, str) else v for k, v in row.items()}
        if not any(str(v or "").strip() for v in values.values()):
            continue
        rows.append((n, _split_lists(values, path.name, n)))
    return rows


def _xlsx_rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    try:
        book = load_workbook(path, read_only=True)
    except Exception as exc:  # noqa: BLE001 - BadZipFile, InvalidFileException, KeyError, XML errors...
        raise ValidationError(f"不是有效的 .xlsx 文件（{type(exc).__name__}），请用 Excel/WPS 另存为 .xlsx 再试",
                              file=path.name) from exc
    try:
        if not book.worksheets:
            raise ValidationError("表格是空的", file=path.name)
        sheet = book.worksheets[0]
        rows_iter = sheet.iter_rows()
        header_cells = next(rows_iter, None)
        if header_cells is None:
            return []
        header = [str(c.value).strip() if c.value is not None else "" for c in header_cells]
        rows = []
        for n, cells in enumerate(rows_iter, 2):
            values: dict[str, Any] = {}
            for i, cell in enumerate(cells):
                value = cell.value
                if value is None or value == "":
                    continue
                name = header[i] if i < len(header) else ""
                column = cell.column_letter if hasattr(cell, "column_letter") else str(i + 1)
                if not name:
                    raise ValidationError(f"{column} 列在表头之外（多出的单元格）", file=path.name, row=n)
                if cell.data_type == "f":
                    raise ValidationError(f"{name} 列是公式，请改成文字（复制后“只粘贴数值”）", file=path.name,
                                          row=n, field=name)
                values[name] = _cell_text(value)
            if values:
                rows.append((n, _split_lists({h: values.get(h, "") for h in header if h} | values, path.name, n)))
        return rows
    finally:
        book.close()


def _cell_text(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _unguard(str(value))


def _kind(value: Any) -> str:
    return "空值" if value is None else {str: "文字", int: "数字", float: "数字", bool: "真假值", list: "列表"}.get(
        type(value), type(value).__name__)


_CONTROL = {c for c in range(32) if c not in (9, 10, 13)} | {127}


def _check_text(values: dict[str, Any], name: str, n: int) -> None:
    for key, value in values.items():
        texts = value if isinstance(value, list) else [value]
        for text in texts:
            if isinstance(text, str) and any(ord(ch) in _CONTROL for ch in text):
                bad = next(ch for ch in text if ord(ch) in _CONTROL)
                label = "NUL" if bad == "\x00" else f"U+{ord(bad):04X}"
                raise ValidationError(f"{key} 含有不可见的控制字符（{label}）", file=name, row=n, field=str(key))


def _split_lists(row: dict[str, Any], name: str, n: int) -> dict[str, Any]:
    """One spreadsheet row as entry fields: Chinese or English headers, Chinese topic names."""
    unknown = [k for k in row if k and str(k).strip() not in HEADER_NAMES]
    if unknown:
        raise ValidationError(f"未知的列: {', '.join(unknown)}（可用的列见“说明”表）", file=name, row=n)
    _check_text(row, name, n)
    clean = {HEADER_NAMES[str(k).strip()]: (v.strip() if isinstance(v, str) else v) for k, v in row.items() if k}
    clean.pop(REVIEW, None)
    intent = clean.get("intent")
    if isinstance(intent, str) and intent in INTENT_BY_NAME:
        clean["intent"] = INTENT_BY_NAME[intent]
    for column in ("valid_from", "valid_to"):
        value = clean.get(column)
        if isinstance(value, str) and len(value) == 19 and value.endswith(" 00:00:00"):
            clean[column] = value[:10]     # a date cell read back from Excel
    if isinstance(clean.get("season"), str) and clean["season"].endswith(".0"):
        clean["season"] = clean["season"][:-2]
    for column in LIST_COLUMNS:
        if column in clean:
            clean[column] = [p.strip() for p in str(clean[column] or "").split("|") if p.strip()]
    return {k: (None if v == "" else v) for k, v in clean.items()}


@dataclass
class ImportPlan:
    """What an import would do."""

    add: list[Entry] = field(default_factory=list)
    change: list[tuple[Entry, list[str]]] = field(default_factory=list)   # entry, changed fields
    missing: list[str] = field(default_factory=list)                      # in the database, not in the file

    def text(self, delete_missing: bool) -> str:
        """Plain summary for the CLI."""
        lines = [f"新增 {len(self.add)}：" + ", ".join(e.id for e in self.add)]
        lines.append(f"修改 {len(self.change)}：" + ", ".join(f"{e.id}({'/'.join(f)})" for e, f in self.change))
        verb = "删除" if delete_missing else "文件里没有（保留，加 --delete-missing 才删除）"
        lines.append(f"{verb} {len(self.missing)}：" + ", ".join(self.missing))
        return "\n".join(lines)


def auto_id(kb: KnowledgeBase, row: dict[str, Any]) -> str:
    """An id for a row staff added without one: region in pinyin, season, and a hash of the title."""
    import hashlib

    from pypinyin import lazy_pinyin

    region = str(row.get("region") or "")
    short = kb.gazetteer.short(region) if region in kb.gazetteer else region
    place = "".join(lazy_pinyin(short)).lower()
    place = "".join(ch for ch in place if ch.isascii() and ch.isalnum())[:24] or "entry"
    digest = hashlib.sha1(str(row.get("title")).encode()).hexdigest()[:6]
    season = str(row.get("season") or "").split(".")[0]
    return "-".join(part for part in (place, season, digest) if part)


def plan_import(kb: KnowledgeBase, path: Path) -> ImportPlan:
    """Validate every row and compare with the database; nothing is written."""
    errors: list[ValidationError] = []
    entries: dict[str, Entry] = {}
    for n, row in read_rows(path):
        if isinstance(row, dict):
            row = {k: v for k, v in row.items() if k != REVIEW}
            if not str(row.get("id") or "").strip() and row.get("title") and row.get("region"):
                row["id"] = auto_id(kb, row)
        try:
            entry = kb.validate(row)
        except ValidationError as exc:
            field_name = exc.field
            if field_name in FIELD_BY_NAME:
                field_name = f"{FIELD_BY_NAME[field_name].header}（{field_name}）"
            errors.append(ValidationError(exc.message, file=path.name, row=n, entry=exc.entry, field=field_name))
            continue
        if entry.id in entries:
            errors.append(ValidationError("id 重复", file=path.name, row=n, entry=entry.id, field="id"))
        entries[entry.id] = entry
    if errors:
        raise ValidationErrors(errors)
    current = {e.id: e for e in kb.entries(include_unconfirmed=True)}
    plan = ImportPlan()
    for entry_id, entry in entries.items():
        old = current.get(entry_id)
        if old is None:
            plan.add.append(entry)
            continue
        entry.issued, entry.cited_as = old.issued, old.cited_as
        changed = [c for c in COLUMNS if getattr(old, c) != getattr(entry, c)]
        if changed:
            plan.change.append((entry, changed))
    plan.missing = sorted(set(current) - set(entries))
    return plan


def apply_import(kb: KnowledgeBase, plan: ImportPlan, actor: str, delete_missing: bool = False) -> None:
    """Apply a plan in one transaction."""
    with kb.db.atomic():
        for entry in plan.add:
            kb.add(entry, actor)
        for entry, fields in plan.change:
            kb.update(entry.id, {f: getattr(entry, f) for f in fields if f != "id"}, actor)
        if delete_missing:
            for entry_id in plan.missing:
                kb.delete(entry_id, actor)
