"""Answers as JSON for the page: the one place that turns an Answer (and its card) into web output.

Every text is HTML-escaped here; hotline numbers become tel: links. When the engine grows new answer
kinds, `answer_kind` and `answer_json` are what follow them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.render import esc, linkify_phones, strip_html
from intents.assistant import Answer, Assistant
from intents.reply import Card
from knowledge.gazetteer import Gazetteer

LABEL_ICONS = {"金额": "💰", "谁能领": "👥", "怎么领": "📝", "联系": "☎️", "时间": "📅"}
TOO_LONG = "消息有点长，我只看了前面一部分。问题简短一点，我能答得更准。"


def text_html(text: str) -> str:
    """Plain text as safe HTML: escaped, phone numbers tappable, line breaks kept."""
    return linkify_phones(esc(text)).replace("\n", "<br>")


def card_html(card: Card) -> str:
    """A reply card as an HTML fragment (escaped; only our own tags)."""
    parts = []
    if card.heading:
        parts.append(f'<h3 class="card-h">{esc(card.heading)}</h3>')
    if card.body:
        parts.append(f'<p class="card-b">{text_html(card.body)}</p>')
    if card.lines:
        rows = "".join(f'<div class="card-l"><dt>{LABEL_ICONS.get(label, "•")} {esc(label)}</dt>'
                       f'<dd>{text_html(text)}</dd></div>' for label, text in card.lines)
        parts.append(f'<dl class="card-d">{rows}</dl>')
    parts.extend(f'<p class="card-n">{text_html(note)}</p>' for note in card.notes)
    if card.small:
        parts.append(f'<p class="card-s">{esc(card.small)}</p>')
    return "".join(parts)


def answer_kind(answer: Answer) -> str:
    """What sort of reply this is (the engine's own kind when it has one)."""
    kind = getattr(answer, "kind", None) or getattr(answer.result, "kind", None)
    kind = getattr(kind, "value", kind)        # a str or an Enum of str
    if isinstance(kind, str) and kind:
        return kind
    result = answer.result
    if result.intent == "greeting":
        return "greeting"
    if result.fallback:
        return "needs_topic" if result.needs_topic else "fallback"
    if result.no_local:
        return "no_local"
    if result.needs_region:
        return "needs_region"
    if result.ambiguous:
        return "did_you_mean"
    return "answer"


def region_options(gazetteer: Gazetteer, parent: str | None) -> list[dict[str, Any]]:
    """Region buttons as in Telegram: cities first (provinces skipped), then a city's districts.

    `final` is True for a choice that is saved (a district, or the whole city)."""
    if parent is None:
        options = []
        for province in gazetteer.children(None):
            cities = gazetteer.children(province.name)
            options.extend(cities if cities and province.name != "上海市" else [province])
        return [{"type": "region", "name": r.name, "label": r.short,
                 "final": not gazetteer.children(r.name)} for r in options]
    city = gazetteer.get(parent)
    return ([{"type": "region", "name": city.name, "label": f"整个{city.short}", "final": True}]
            + [{"type": "region", "name": r.name, "label": r.short, "final": True}
               for r in gazetteer.children(parent)])


def answer_buttons(answer: Answer, assistant: Assistant) -> list[dict[str, Any]]:
    """The buttons under an answer, as in Telegram: did-you-mean, region, save region, or related."""
    result = answer.result
    gazetteer = assistant.gazetteer
    if result.ambiguous and result.candidates:
        return [{"type": "entry", "id": c.entry_id, "label": f"你想问：{c.title}"[:60]}
                for c in result.candidates[:3]]
    if result.needs_region:
        return region_options(gazetteer, None)
    if answer.offer_region:
        return [{"type": "region", "name": answer.offer_region, "final": True,
                 "label": f"📍 把地区设为{gazetteer.short(answer.offer_region)}"}]
    if not result.fallback:
        return [{"type": "entry", "id": entry_id, "label": f"相关：{title}"[:60]}
                for entry_id, title in assistant.related(answer)]
    return []


def answer_json(answer: Answer, assistant: Assistant) -> dict[str, Any]:
    """One answer for the page: kind, safe HTML, the card's parts (plain text), buttons."""
    card = answer.card
    html = card_html(card)
    if answer.truncated:
        html = f'<p class="card-n">{esc(TOO_LONG)}</p>' + html
    return {
        "kind": answer_kind(answer),
        "html": html,
        "card": {"heading": card.heading, "body": card.body, "lines": [list(pair) for pair in card.lines],
                 "notes": list(card.notes), "small": card.small},
        "buttons": answer_buttons(answer, assistant),
        "intent": answer.result.intent,
        "entry": answer.result.entry.id if answer.result.entry is not None else None,
        "truncated": answer.truncated,
    }


def notice_json(row: dict[str, Any], tz: dt.tzinfo) -> dict[str, Any]:
    """A stored notice (Telegram HTML) as safe web HTML, with its local time."""
    at = dt.datetime.fromisoformat(row.get("send_at") or row["created_at"])
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return {"id": row["id"], "at": at.astimezone(tz).strftime("%m月%d日 %H:%M"),
            "html": text_html(strip_html(row["text"] or "").strip())}
