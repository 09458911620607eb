"""Entry model and the fixed intent labels."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field, fields
from typing import Any

#: Intent labels that have entries, in the order the bot shows topics.
ENTRY_INTENTS: tuple[str, ...] = (
    "red_packet",
    "data_bundle",
    "health_check",
    "legal_aid",
    "wage_rights",
    "new_year_meal",
    "hardship_relief",
    "training",
    "jobs",
    "culture_leisure",
    "travel",
    "prices_supplies",
    "epidemic_prevention",
    "accommodation",
    "family_care",
    "unemployment",
    "service_station",
)
#: Every label the matcher returns.
INTENTS: tuple[str, ...] = ENTRY_INTENTS + ("greeting", "out_of_scope")

#: Plain Chinese name of each topic, for menus and "did you mean" buttons.
INTENT_NAMES: dict[str, str] = {
    "red_packet": "红包补贴",
    "data_bundle": "免费流量",
    "health_check": "免费体检",
    "legal_aid": "法律援助",
    "wage_rights": "工资权益",
    "new_year_meal": "年夜饭",
    "hardship_relief": "困难救助",
    "training": "技能培训",
    "jobs": "找工作",
    "culture_leisure": "文化休闲",
    "travel": "出行交通",
    "prices_supplies": "物价供应",
    "epidemic_prevention": "防疫要求",
    "accommodation": "住宿",
    "family_care": "家人关爱",
    "unemployment": "失业保险",
    "service_station": "服务站",
    "greeting": "问候",
    "out_of_scope": "其他",
}

#: How long a measure lasts (``Entry.kind``).
#: standing: grounded in law or a permanent service (overtime pay rates, statutory holidays, wage
#:   arrears complaints and arbitration, legal aid, unemployment insurance, national hotlines);
#:   never ends. A local card that restates a law is standing; its dated local extras go into
#:   ``local_note`` (they belong to ``season``).
#: seasonal: a measure for the Spring Festival of year ``season``.
#: historical: a COVID-era rule (health codes, risk areas, tests, "do not travel"); no longer applies.
KINDS: tuple[str, ...] = ("standing", "seasonal", "historical")
KIND_NAMES: dict[str, str] = {"standing": "长期有效", "seasonal": "当年春节措施", "historical": "已废止（疫情期间）"}


@dataclass(frozen=True)
class FieldSpec:
    """One field of a measure: its YAML key, spreadsheet header, type and rules.

    The one definition that the YAML keys, the spreadsheet columns, validation, the database
    columns and the admin's editable fields derive from.
    """

    name: str
    header: str             # Chinese spreadsheet header
    type: str = "text"      # text | date | list | int | bool | choice
    required: bool = False
    editable: bool = True   # an admin may change it (and it is a spreadsheet column)
    file_level: bool = False  # set once per YAML file (an entry may not set it)
    help: str = ""


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("id", "编号", required=True, editable=False,
              help="唯一编号：小写字母、数字和连字符；新加的行可以空着（导入时自动编号），已有的行别改"),
    FieldSpec("intent", "话题", "choice", required=True, help="从下拉列表里选"),
    FieldSpec("region", "地区", "choice", required=True, help="从下拉列表里选（地区全称）"),
    FieldSpec("title", "标题", required=True, help="简短，工人怎么叫它就怎么写"),
    FieldSpec("answer", "回答", required=True, help="2-5句大白话：是什么、多少钱、怎么领、找谁"),
    FieldSpec("amount", "金额", help="照原文写，带单位，如“每人2000元”“20G”；没有就空着"),
    FieldSpec("eligibility", "谁能领", required=True, help="哪些人能享受（大白话）"),
    FieldSpec("how_to_claim", "怎么领", required=True, help="去哪里、怎么办"),
    FieldSpec("contact", "联系方式", required=True, help="单位和电话，热线写数字，如 12333"),
    FieldSpec("valid_from", "开始日期", "date", help="YYYY-MM-DD，通知写了才填"),
    FieldSpec("valid_to", "截止日期", "date", help="YYYY-MM-DD，通知写了才填"),
    FieldSpec("source", "来源", required=True, help="哪份通知的哪一条"),
    FieldSpec("keywords", "关键词", "list", help="可选，用 | 分隔"),
    FieldSpec("questions", "常见问法", "list", help="至少3个工人会怎么问，用 | 分隔"),
    FieldSpec("season", "年份", "int",
              help="哪一年春节的措施（公历年，如 2027）；长期有效的可空着"),
    FieldSpec("kind", "类型", "choice",
              help="长期有效（法律、常设热线）/ 当年春节措施 / 已废止（疫情期间的规定）"),
    FieldSpec("local_note", "本地当年做法",
              help="长期有效的条目里只属于当年、当地的额外做法（会标明年份）"),
    FieldSpec("confirmed", "已确认", "bool",
              help="是/否。沿用上一年生成的草稿是“否”，核实后改成“是”才会给工人看"),
    FieldSpec("issued", "发布日期", "date", editable=False, file_level=True, help="通知的发布日期"),
    FieldSpec("cited_as", "通知简称", editable=False, file_level=True,
              help="卡片上怎么称呼这份通知，如“安庆市就业工作领导小组办公室简报”"),
)
FIELD_BY_NAME: dict[str, FieldSpec] = {f.name: f for f in FIELDS}
REQUIRED_FIELDS = tuple(f.name for f in FIELDS if f.required)
TEXT_FIELDS = tuple(f.name for f in FIELDS if f.type == "text" and f.name != "id" and not f.file_level)
DATE_FIELDS = tuple(f.name for f in FIELDS if f.type == "date")
LIST_FIELDS = tuple(f.name for f in FIELDS if f.type == "list")
#: Fields an admin may edit one by one.
EDITABLE_FIELDS = tuple(f.name for f in FIELDS if f.editable)
#: Keys an entry may have in YAML.
ENTRY_KEYS = tuple(f.name for f in FIELDS if not f.file_level)
MIN_QUESTIONS = 3


@dataclass
class Entry:
    """One measure a worker can ask about."""

    id: str
    intent: str
    region: str
    title: str
    answer: str
    eligibility: str
    how_to_claim: str
    contact: str
    source: str
    amount: str | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    issued: dt.date | None = None
    keywords: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    season: int | None = None
    kind: str = "seasonal"
    local_note: str | None = None
    confirmed: bool = True
    cited_as: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able dict with dates as ISO strings."""
        data = asdict(self)
        for name in DATE_FIELDS:
            if data[name] is not None:
                data[name] = data[name].isoformat()
        return data

    @classmethod
    def field_names(cls) -> list[str]:
        """Names of all fields, in declaration order."""
        return [f.name for f in fields(cls)]

    def season_year(self) -> int | None:
        """The Spring Festival year the measure (or its local note) was for."""
        if self.season:
            return self.season
        if self.issued:
            return self.issued.year
        return self.valid_to.year if self.valid_to else None

    def season_end(self) -> dt.date | None:
        """Last day the measure applies; None when it does not expire (standing rights).

        Seasonal measures without an end date are for the Spring Festival season of their
        year, which we take to end on 31 March. Historical (COVID-era) rules have ended.
        """
        if self.kind == "standing":
            return None
        if self.valid_to:
            return self.valid_to
        year = self.season_year()
        return dt.date(year, 3, 31) if year else None

    def is_over(self, today: dt.date) -> bool:
        """True when the measure's period has passed (always for historical rules)."""
        if self.kind == "historical":
            return True
        end = self.season_end()
        return end is not None and today > end
