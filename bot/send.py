"""Sending with care: HTML with a plain fallback, retries with backoff on network errors,
and a blocked user marked as such."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram import Bot, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.render import strip_html
from knowledge.users import Users

log = logging.getLogger(__name__)
RETRIES = 3
MAX_TEXT = 4096


def clip(text: str) -> str:
    """Telegram's message limit."""
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


async def send_html(bot: Bot, chat_id: int, text: str, users: Users | None = None, **kwargs: Any) -> Message | None:
    """Send HTML; returns None when the user blocked the bot (and marks them)."""
    delay = 1.0
    for attempt in range(RETRIES + 1):
        try:
            return await bot.send_message(chat_id, clip(text), parse_mode=ParseMode.HTML, **kwargs)
        except Forbidden:
            if users is not None:
                users.mark_blocked(chat_id)
            log.info("user %s blocked the bot", chat_id)
            return None
        except BadRequest as exc:
            if "entit" in str(exc).lower() or "url" in str(exc).lower():
                log.warning("HTML refused (%s); sending plain text", exc)
                return await bot.send_message(chat_id, clip(strip_html(text)), **kwargs)
            raise
        except RetryAfter as exc:
            if attempt == RETRIES:
                raise
            await asyncio.sleep(_seconds(exc.retry_after))
        except (TimedOut, NetworkError):
            if attempt == RETRIES:
                raise
            await asyncio.sleep(delay)
            delay *= 2
    return None


def _seconds(value: Any) -> float:
    return value.total_seconds() if hasattr(value, "total_seconds") else float(value)
