"""Cards as Telegram HTML: everything escaped, hotlines tappable, source in small print."""

from __future__ import annotations

import html
import re

from intents.reply import HOTLINE_RE, Card

LABEL_ICONS = {"金额": "💰", "谁能领": "👥", "怎么领": "📝", "联系": "☎️", "时间": "📅"}
_TAG_RE = re.compile(r"<[^>]+>")


def linkify_phones(escaped: str) -> str:
    """Make hotline numbers in already-escaped text tappable (tel: links)."""
    return HOTLINE_RE.sub(lambda m: f'<a href="tel:{m.group(1)}">{m.group(1)}</a>', escaped)


def esc(text: str) -> str:
    """HTML-escape text from the knowledge base, admins or users."""
    return html.escape(text or "", quote=False)


def card_html(card: Card) -> str:
    """A card laid out for a phone."""
    parts = []
    if card.heading:
        parts.append(f"<b>{esc(card.heading)}</b>")
    if card.body:
        parts.append(linkify_phones(esc(card.body)))
    for label, text in card.lines:
        icon = LABEL_ICONS.get(label, "•")
        parts.append(f"{icon} <b>{esc(label)}</b>：{linkify_phones(esc(text))}")
    parts.extend(linkify_phones(esc(note)) for note in card.notes)
    if card.small:
        parts.append(f"<i>{esc(card.small)}</i>")
    return "\n".join(parts)


def strip_html(text: str) -> str:
    """Plain text from our HTML (fallback when Telegram refuses the markup)."""
    return html.unescape(_TAG_RE.sub("", text))


def notice_html(label: str, body: str) -> str:
    """A station's or admin's notice as workers see it."""
    return f"📢 <b>{esc(label)}通知</b>\n{linkify_phones(esc(body))}"
