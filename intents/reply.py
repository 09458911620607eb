"""What a worker reads: the matcher's result laid out as a reply card (plain text here;
the bot renders the same card as Telegram HTML)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from intents.aspects import aspect_answer
from intents.matcher import MatchResult
from knowledge.gazetteer import Gazetteer
from knowledge.models import INTENT_NAMES, Entry

HOTLINE_RE = re.compile(r"(?<![\d-])((?:0\d{2,3}-)?\d{5,8}|1[3-9]\d{9})(?![\d-])")

GREETING = ("你好！我是暖心助手，专门解答就地过年的各种帮扶政策：红包补贴、免费流量、免费体检、"
            "法律援助、加班工资、年夜饭、找工作等。直接打字问我就行，比如“留岗红包怎么领”。")
FALLBACK = ("这个问题我暂时答不上来。我能回答就地过年的帮扶政策，比如红包补贴、免费流量、免费体检、"
            "讨薪维权、加班工资、年夜饭、培训和找工作。换个说法试试，或者打 12345 政务服务热线问问。")
NEEDS_TOPIC = ("你想问哪一项？先告诉我是什么，比如“留岗红包怎么领”“免费流量在哪领”，"
               "或者点下面的按钮选话题。")
EMPTY = "没看到文字内容。请直接打字问我，比如“免费体检在哪里”，或者点下面的按钮。"
ASPECT_LABELS = {"how_to_claim": "怎么领", "contact": "联系", "amount": "金额", "eligibility": "谁能领",
                 "validity": "时间"}


@dataclass
class Card:
    """A reply in parts: a heading, lines of (label, text), notes and small print."""

    heading: str = ""
    body: str = ""
    lines: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    small: str = ""

    def plain(self) -> str:
        """The card as plain text."""
        parts = []
        if self.heading:
            parts.append(f"【{self.heading}】")
        if self.body:
            parts.append(self.body)
        parts.extend(f"{label}：{text}" for label, text in self.lines)
        parts.extend(self.notes)
        if self.small:
            parts.append(self.small)
        return "\n".join(parts)


def validity_text(entry: Entry) -> str | None:
    """The period of a measure in words, or None."""
    if entry.valid_from and entry.valid_to:
        return f"{_date(entry.valid_from)}至{_date(entry.valid_to)}"
    if entry.valid_to:
        return f"截至{_date(entry.valid_to)}"
    if entry.valid_from:
        return f"{_date(entry.valid_from)}起"
    return None


def _date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def over_note(entry: Entry, today: dt.date) -> str | None:
    """A plain warning when the measure's period has passed."""
    if not entry.is_over(today):
        return None
    year = (entry.issued or entry.valid_to or today).year
    return (f"⚠️ 注意：这是{year}年春节期间的政策，现在已经结束了。今年有没有类似安排，"
            "请打 12345 政务服务热线，或问当地的暖民稳岗服务站。")


def entry_card(entry: Entry, gazetteer: Gazetteer, today: dt.date, aspect: str | None = None) -> Card:
    """One measure as a card; the aspect asked about in a follow-up comes first."""
    card = Card(heading=f"{entry.title}（{gazetteer.short(entry.region)}）", body=entry.answer)
    lines = [("金额", entry.amount), ("谁能领", entry.eligibility), ("怎么领", entry.how_to_claim),
             ("联系", entry.contact), ("时间", validity_text(entry))]
    lines = [(label, text) for label, text in lines if text]
    if aspect in ASPECT_LABELS:
        wanted = ASPECT_LABELS[aspect]
        lines.sort(key=lambda pair: pair[0] != wanted)
    card.lines = lines
    note = over_note(entry, today)
    if note:
        card.notes.append(note)
    card.small = f"来源：{entry.source}"
    return card


def overview_card(result: MatchResult, gazetteer: Gazetteer, today: dt.date) -> Card:
    """"有啥福利": the region's measures, most specific first, each with its amount."""
    place = gazetteer.short(result.region)
    lines = []
    for entry in result.entries:
        amount = f"：{entry.amount}" if entry.amount else ""
        lines.append(("•", f"{entry.title}{amount}（{gazetteer.short(entry.region)}）"))
    card = Card(heading=f"{place}就地过年的帮扶措施", lines=lines)
    years = sorted({(e.issued or e.valid_to).year for e in result.entries if e.is_over(today) and (e.issued or e.valid_to)})
    if years:
        card.notes.append(f"⚠️ 以上是{'、'.join(map(str, years))}年春节的措施，今年的还要以当地最新通知为准；"
                          "可以打 12345 问问。")
    card.notes.append("想了解哪一项，直接问我，比如“留岗红包怎么领”。")
    return card


def ask_region_card(result: MatchResult, gazetteer: Gazetteer) -> Card:
    """The answer differs by place and we do not know where the worker is."""
    topic = INTENT_NAMES.get(result.intent, "帮扶措施")
    names = "、".join(gazetteer.short(r) for r in result.region_options[:8])
    body = f"“{topic}”各地不一样。你在哪个城市或区县上班？告诉我（比如“我在迎江区”），我给你当地的答案。"
    card = Card(heading=topic, body=body)
    if names:
        card.notes.append(f"我这里有这些地方的措施：{names}。")
    return card


def result_card(result: MatchResult, gazetteer: Gazetteer, today: dt.date) -> Card:
    """The whole reply for a match result."""
    if result.intent == "greeting":
        return Card(body=GREETING)
    if result.kind == "overview":
        return overview_card(result, gazetteer, today)
    if result.kind == "ask_region":
        return ask_region_card(result, gazetteer)
    if result.fallback:
        if not result.text:
            return Card(body=EMPTY)
        if result.needs_topic:
            return Card(body=NEEDS_TOPIC)
        if result.region_in_text and not result.candidates:
            return Card(body=f"好的，你说的是{gazetteer.short(result.region_in_text)}。想问哪方面的政策？"
                             "比如红包补贴、免费流量、免费体检、法律援助。")
        return Card(body=FALLBACK)
    topic = INTENT_NAMES.get(result.intent, "")
    if result.no_local or result.entry is None:
        names = "、".join(gazetteer.short(r) for r in result.region_options)
        body = (f"{gazetteer.short(result.region)}暂时没有查到“{topic}”方面的当地措施。"
                "当地情况可以打 12345 政务服务热线问问，或者问问单位和工会。")
        card = Card(heading=topic, body=body)
        if names:
            card.notes.append(f"有这项措施的地区：{names}。")
        return card
    card = entry_card(result.entry, gazetteer, today, result.aspect)
    if result.kind == "followup" and result.aspect and result.aspect != "more":
        label, text, _stated = aspect_answer(result.entry, result.aspect, validity_text(result.entry))
        card.body = f"👉 {label}：{text}\n\n{card.body}" if card.body else f"👉 {label}：{text}"
    same = [e for e in result.entries[1:4] if e.region == result.entry.region]
    if same and result.kind == "measure":
        card.notes.append("同一地区还有：" + "；".join(
            f"{e.title}" + (f"（{e.amount}）" if e.amount else "") for e in same))
    if result.ambiguous:
        others = [c.title for c in result.candidates[1:3] if c.entry_id != result.entry.id]
        if others:
            card.notes.append("不是你想问的？你也许想问：" + "；".join(others))
    return card


def reply_text(result: MatchResult, gazetteer: Gazetteer, today: dt.date) -> str:
    """The plain-text reply a worker would see."""
    return result_card(result, gazetteer, today).plain()
