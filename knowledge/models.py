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

REQUIRED_FIELDS = ("id", "intent", "region", "title", "answer", "eligibility", "how_to_claim", "contact", "source")
TEXT_FIELDS = ("title", "answer", "amount", "eligibility", "how_to_claim", "contact", "source")
DATE_FIELDS = ("valid_from", "valid_to", "issued")
#: Fields an admin may edit one by one.
EDITABLE_FIELDS = ("intent", "region", "title", "answer", "amount", "eligibility", "how_to_claim",
                   "contact", "valid_from", "valid_to", "source", "keywords", "questions")
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

    def season_end(self) -> dt.date | None:
        """Last day the measure applies; None when it does not expire.

        Measures without an end date are for the Spring Festival season of the year
        they were issued, which we take to end on 31 March.
        """
        if self.valid_to:
            return self.valid_to
        if self.issued:
            return dt.date(self.issued.year, 3, 31)
        return None

    def is_over(self, today: dt.date) -> bool:
        """True when the measure's period has passed."""
        end = self.season_end()
        return end is not None and today > end
