"""Read, validate and write the knowledge base's YAML files."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from knowledge.errors import ValidationError, ValidationErrors
from knowledge.gazetteer import DATA_DIR, Gazetteer
from knowledge.models import (
    DATE_FIELDS,
    ENTRY_INTENTS,
    ENTRY_KEYS,
    FIELDS,
    KINDS,
    MIN_QUESTIONS,
    REQUIRED_FIELDS,
    TEXT_FIELDS,
    Entry,
)

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,59}$")  # fits in 64-byte callback data
#: File-level keys: the notice, its date, how people cite it, and the season its measures are for.
FILE_KEYS = {"source_file", "document", "issued", "cited_as", "season", "entries"}
TRUE_WORDS = {"1", "true", "yes", "y", "是", "对", "已确认", "确认"}
FALSE_WORDS = {"0", "false", "no", "n", "否", "不", "未确认", "待确认"}
MAX_TEXT = 2000


@dataclass
class SourcedEntry:
    """An entry with the YAML file and notice it came from."""

    entry: Entry
    yaml_file: str
    document: str | None


class StrictLoader(yaml.SafeLoader):
    """safe_load without anchors/aliases (no alias bombs) and without duplicate keys."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, "不支持 YAML 别名（*引用），请直接写出内容", event.start_mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        if isinstance(node, yaml.MappingNode):
            seen: set[Any] = set()
            for key_node, _ in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else id(key_node)
                if key in seen:
                    raise yaml.constructor.ConstructorError(None, None, f"重复的键 {key!r}", key_node.start_mark)
                seen.add(key)
        return super().construct_mapping(node, deep)


def load_yaml(text: str) -> Any:
    """Parse YAML strictly (see StrictLoader)."""
    return yaml.load(text, Loader=StrictLoader)  # noqa: S506 - StrictLoader is a SafeLoader


def yaml_error(exc: yaml.YAMLError) -> str:
    """The problem and its line, in one phrase."""
    mark = getattr(exc, "problem_mark", None)
    where = f"（第{mark.line + 1}行）" if mark else ""
    return f"YAML 格式错误{where}: {getattr(exc, 'problem', None) or exc}"


def parse_date(value: Any, *, file: str | None = None, entry: str | None = None,
               field: str | None = None) -> dt.date | None:
    """A date from YAML (date object or YYYY-MM-DD text); None for empty."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value.strip()) == 19 and value.strip().endswith(" 00:00:00"):
        value = value.strip()[:10]                       # an Excel date cell read as text
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(f"日期格式应为 YYYY-MM-DD，而不是 {value!r}", file=file, entry=entry,
                              field=field) from None


def parse_bool(value: Any, fail: Any, field: str, default: bool = True) -> bool:
    """是/否, true/false, 1/0; empty = default."""
    if value in (None, ""):
        return default
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise fail(f"应为 是/否，而不是 {value!r}", field)


def parse_season(value: Any, fail: Any, field: str = "season") -> int | None:
    """A Spring Festival year (2000..2100) or None."""
    if value in (None, ""):
        return None
    try:
        year = int(str(value).strip().removesuffix("年").split(".")[0])
    except ValueError:
        raise fail(f"年份应为数字，如 2027，而不是 {value!r}", field) from None
    if not 2000 <= year <= 2100:
        raise fail(f"年份不合理: {year}", field)
    return year


def parse_kind(value: Any, fail: Any) -> str:
    """standing | seasonal | historical (Chinese names accepted); empty = seasonal."""
    from knowledge.models import KIND_NAMES

    if value in (None, ""):
        return "seasonal"
    word = str(value).strip()
    for kind, name in KIND_NAMES.items():
        if word in (kind, name) or (len(word) >= 2 and name.startswith(word)):
            return kind
    raise fail(f"类型应为 {' / '.join(KINDS)}（{' / '.join(KIND_NAMES.values())}），而不是 {value!r}", "kind")


def entry_from_dict(data: dict[str, Any], gazetteer: Gazetteer, *, file: str | None = None,
                    issued: dt.date | None = None, season: int | None = None,
                    cited_as: str | None = None) -> Entry:
    """Check one entry and build it; raises ValidationError naming file, entry and field.

    `issued`, `season` and `cited_as` come from the file; an entry may set its own `season`.
    """
    if not isinstance(data, dict):
        raise ValidationError("条目必须是键值对", file=file)
    entry_id = str(data.get("id") or "").strip() or None

    def fail(message: str, field: str | None = None) -> ValidationError:
        return ValidationError(message, file=file, entry=entry_id, field=field)

    unknown = set(data) - set(ENTRY_KEYS)
    if unknown:
        raise fail(f"未知字段: {', '.join(sorted(unknown))}")
    for name in REQUIRED_FIELDS:
        value = data.get(name)
        if value is None or not str(value).strip():
            raise fail("缺少必填字段", name)
    for name in ("id", "intent", "region"):
        if not isinstance(data[name], (str, int)) or isinstance(data[name], bool):
            raise fail("应为文字", name)
    if not ID_RE.match(entry_id or ""):
        raise fail("id 只能用小写字母、数字和连字符", "id")
    if data["intent"] not in ENTRY_INTENTS:
        raise fail(f"未知的意图标签 {data['intent']!r}", "intent")
    if data["region"] not in gazetteer:
        raise fail(f"未知地区 {data['region']!r}（见 regions.yaml）", "region")
    texts: dict[str, str | None] = {}
    for name in TEXT_FIELDS:
        value = data.get(name)
        if value is not None and not isinstance(value, (str, int, float)):
            raise fail("应为文字", name)
        text = None if value is None else str(value).strip()
        if text and len(text) > MAX_TEXT:
            raise fail(f"太长（最多 {MAX_TEXT} 字）", name)
        texts[name] = text or None
    dates = {name: parse_date(data.get(name), file=file, entry=entry_id, field=name)
             for name in DATE_FIELDS if name != "issued"}
    if dates["valid_from"] and dates["valid_to"] and dates["valid_from"] > dates["valid_to"]:
        raise fail("valid_from 晚于 valid_to", "valid_to")
    questions = _string_list(data.get("questions"), fail, "questions")
    if len(questions) < MIN_QUESTIONS:
        raise fail(f"至少要有 {MIN_QUESTIONS} 个不同的问法", "questions")
    keywords = _string_list(data.get("keywords"), fail, "keywords")
    kind = parse_kind(data.get("kind"), fail)
    entry_season = parse_season(data.get("season"), fail) or season
    if texts["local_note"] and kind != "standing":
        raise fail("只有长期有效（standing）的条目才用 local_note", "local_note")
    if texts["local_note"] and not (entry_season or issued):
        raise fail("有 local_note 时要写年份（season）", "season")
    return Entry(
        id=entry_id or "", intent=data["intent"], region=data["region"],
        title=texts["title"] or "", answer=texts["answer"] or "", amount=texts["amount"],
        eligibility=texts["eligibility"] or "", how_to_claim=texts["how_to_claim"] or "",
        contact=texts["contact"] or "", source=texts["source"] or "",
        valid_from=dates["valid_from"], valid_to=dates["valid_to"], issued=issued,
        keywords=keywords, questions=questions, season=entry_season, kind=kind,
        local_note=texts["local_note"], confirmed=parse_bool(data.get("confirmed"), fail, "confirmed"),
        cited_as=(cited_as or texts.get("cited_as")),
    )


def _string_list(value: Any, fail: Any, field: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        raise fail("应为文字列表", field)
    seen: list[str] = []
    for item in value:
        text = str(item).strip()
        if text and text not in seen:
            seen.append(text)
    return seen


def read_file(path: Path, gazetteer: Gazetteer) -> list[SourcedEntry]:
    """All entries of one YAML file; ValidationError on the first problem."""
    try:
        raw = load_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ValidationError(yaml_error(exc), file=path.name) from exc
    except UnicodeDecodeError as exc:
        raise ValidationError("文件不是 UTF-8 编码", file=path.name) from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("entries"), list):
        raise ValidationError("文件顶层需要 entries 列表", file=path.name)
    unknown = set(raw) - FILE_KEYS
    if unknown:
        raise ValidationError(f"未知的顶层字段: {', '.join(sorted(unknown))}", file=path.name)
    issued = parse_date(raw.get("issued"), file=path.name, field="issued")
    document = raw.get("document")

    def fail(message: str, field: str | None = None) -> ValidationError:
        return ValidationError(message, file=path.name, field=field)

    season = parse_season(raw.get("season"), fail)
    cited_as = str(raw["cited_as"]).strip() if raw.get("cited_as") else None
    return [SourcedEntry(entry_from_dict(item, gazetteer, file=path.name, issued=issued, season=season,
                                         cited_as=cited_as), path.name,
                         str(document) if document else None)
            for item in raw["entries"]]


def entry_files(data_dir: Path = DATA_DIR) -> list[Path]:
    """The entry YAML files of a data directory (everything but regions.yaml)."""
    return sorted(p for p in Path(data_dir).glob("*.yaml") if p.name != "regions.yaml")


def read_dir(data_dir: Path, gazetteer: Gazetteer) -> list[SourcedEntry]:
    """Every entry of every file, checked; ValidationErrors lists all problems."""
    errors: list[ValidationError] = []
    result: list[SourcedEntry] = []
    seen: dict[str, str] = {}
    files = entry_files(data_dir)
    if not files:
        raise ValidationError("没有找到条目文件 (*.yaml)", file=str(data_dir))
    for path in files:
        try:
            items = read_file(path, gazetteer)
        except ValidationError as exc:
            errors.append(exc)
            continue
        for item in items:
            if item.entry.id in seen:
                errors.append(ValidationError(f"id 重复（也在 {seen[item.entry.id]} 中）", file=path.name,
                                              entry=item.entry.id, field="id"))
                continue
            seen[item.entry.id] = path.name
            result.append(item)
    if errors:
        raise ValidationErrors(errors)
    return result


def entry_to_yaml_dict(entry: Entry) -> dict[str, Any]:
    """The entry as it is written in a YAML file (no empty optional fields)."""
    data: dict[str, Any] = {}
    for spec in FIELDS:
        if spec.file_level:
            continue
        value = getattr(entry, spec.name)
        if value in (None, "", []) or (spec.name == "confirmed" and value is True):
            continue
        data[spec.name] = value
    return data


def write_dir(items: list[SourcedEntry], out_dir: Path) -> list[Path]:
    """Write entries grouped by their YAML file; returns the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    groups: dict[str, list[SourcedEntry]] = {}
    for item in items:
        groups.setdefault(item.yaml_file, []).append(item)
    written = []
    for name, group in sorted(groups.items()):
        first = group[0]
        head: dict[str, Any] = {}
        source_file = first.entry.source.split()[0] if first.entry.source else None
        if source_file:
            head["source_file"] = source_file
        if first.document:
            head["document"] = first.document
        if first.entry.issued:
            head["issued"] = first.entry.issued
        if first.entry.cited_as:
            head["cited_as"] = first.entry.cited_as
        head["entries"] = [entry_to_yaml_dict(i.entry) for i in group]
        path = out_dir / name
        path.write_text(yaml.safe_dump(head, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
        written.append(path)
    return written
