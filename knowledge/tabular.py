"""Import and export measures as YAML, CSV or XLSX (staff keep measures in spreadsheets).

Import validates every row first and reports the row and column of a problem; the plan
(added, changed, removed) is applied in one transaction.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from openpyxl import Workbook, load_workbook

from knowledge.errors import ValidationError, ValidationErrors
from knowledge.models import Entry
from knowledge.store import KnowledgeBase

COLUMNS = ("id", "intent", "region", "title", "answer", "amount", "eligibility", "how_to_claim", "contact",
           "valid_from", "valid_to", "source", "keywords", "questions")
LIST_COLUMNS = {"keywords", "questions"}
SEPARATOR = " | "


def _row(entry: Entry) -> list[str]:
    data = entry.to_dict()
    return [SEPARATOR.join(data[c]) if c in LIST_COLUMNS else (data[c] or "") for c in COLUMNS]


def export_csv(entries: list[Entry]) -> str:
    """CSV text with a header row; list fields joined by " | "."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(_row(e) for e in entries)
    return out.getvalue()


def export_xlsx(entries: list[Entry], path: Path) -> None:
    """An XLSX workbook with one sheet of measures."""
    book = Workbook()
    sheet = book.active
    sheet.title = "measures"
    sheet.append(list(COLUMNS))
    for entry in entries:
        sheet.append(_row(entry))
    book.save(path)


def export_yaml(entries: list[Entry]) -> str:
    """One YAML document with all entries."""
    from knowledge.yamlio import entry_to_yaml_dict

    return yaml.safe_dump({"entries": [entry_to_yaml_dict(e) for e in entries]}, allow_unicode=True,
                          sort_keys=False, width=1000)


def read_rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """(row number, values) from a YAML, CSV or XLSX file."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".yaml", ".yml"):
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
            items = raw.get("entries") if isinstance(raw, dict) else None
            if not isinstance(items, list):
                raise ValidationError("文件顶层需要 entries 列表", file=path.name)
            return [(n, item) for n, item in enumerate(items, 1)]
        if suffix == ".csv":
            reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")))
            return [(n, _split_lists(row, path.name, n)) for n, row in enumerate(reader, 2)]
        if suffix == ".xlsx":
            sheet = load_workbook(path, read_only=True).worksheets[0]
            rows = list(sheet.iter_rows(values_only=True))
            if not rows:
                raise ValidationError("表格是空的", file=path.name)
            header = [str(h).strip() if h is not None else "" for h in rows[0]]
            return [(n, _split_lists(dict(zip(header, ["" if v is None else str(v) for v in values], strict=False)),
                                     path.name, n))
                    for n, values in enumerate(rows[1:], 2) if any(v not in (None, "") for v in values)]
    except (yaml.YAMLError, UnicodeDecodeError, csv.Error, OSError, KeyError, ValueError) as exc:
        if isinstance(exc, ValidationError):
            raise
        raise ValidationError(f"读不了这个文件: {exc}", file=path.name) from exc
    raise ValidationError("只支持 .yaml、.csv 和 .xlsx", file=path.name)


def _split_lists(row: dict[str, Any], name: str, n: int) -> dict[str, Any]:
    unknown = [k for k in row if k and k not in COLUMNS]
    if unknown:
        raise ValidationError(f"未知的列: {', '.join(unknown)}", file=name, row=n)
    clean = {k: (v.strip() if isinstance(v, str) else v) for k, v in row.items() if k}
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


def plan_import(kb: KnowledgeBase, path: Path) -> ImportPlan:
    """Validate every row and compare with the database; nothing is written."""
    errors: list[ValidationError] = []
    entries: dict[str, Entry] = {}
    for n, row in read_rows(path):
        try:
            entry = kb.validate(row)
        except ValidationError as exc:
            errors.append(ValidationError(exc.message, file=path.name, row=n, entry=exc.entry, field=exc.field))
            continue
        if entry.id in entries:
            errors.append(ValidationError("id 重复", file=path.name, row=n, entry=entry.id, field="id"))
        entries[entry.id] = entry
    if errors:
        raise ValidationErrors(errors)
    current = {e.id: e for e in kb.entries()}
    plan = ImportPlan()
    for entry_id, entry in entries.items():
        old = current.get(entry_id)
        if old is None:
            plan.add.append(entry)
            continue
        entry.issued = old.issued
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
