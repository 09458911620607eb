"""Sending with care: two lanes, one retry owner per lane, and what a failed send means.

Lanes. Replies to workers (everything the handlers send) go through `Lanes`, the
Application's rate limiter; notices go through the outbox worker, which passes
`rate_limit_args={"lane": "notice"}` so `Lanes` lets them straight through. Both share one
budget of about 30 messages a second, and replies take from it first.

Retry owners. For replies it is `Lanes`: a 429 pauses only that chat (and is retried there),
a send that certainly did not reach Telegram is retried with backoff, a send whose fate is
unknown is not repeated. For notices it is the outbox worker (see `bot/outbox_worker.py`):
`Lanes` never waits or retries for them, so no row sits in flight during a 429.

`classify` says what an exception means for delivery; the outbox worker and `Lanes` both use it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

import httpx
from aiolimiter import AsyncLimiter
from telegram import Bot, Message
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import BaseRateLimiter

from bot.render import strip_html
from knowledge.users import Users

log = logging.getLogger(__name__)
MAX_TEXT = 4096
NOTICE_LANE = {"lane": "notice"}

# What a failed send means (see README, "Delivery policy").
BLOCKED = "blocked"          # 403: the worker blocked the bot; final
FINAL = "final"              # 400/404-class: Telegram refused this message; final
RETRY_AFTER = "retry_after"  # 429: wait as told
UNSENT = "unsent"            # certainly not delivered (no connection, 5xx, 401): retry with backoff
UNCERTAIN = "uncertain"      # may have been delivered (timeout or reset after sending, garbled 200)

_NOT_SENT_CAUSES = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


def classify(exc: BaseException) -> str:
    """BLOCKED, FINAL, RETRY_AFTER, UNSENT or UNCERTAIN."""
    if isinstance(exc, RetryAfter):
        return RETRY_AFTER
    if isinstance(exc, Forbidden):
        return BLOCKED
    if isinstance(exc, (BadRequest, ChatMigrated)):
        return FINAL
    if isinstance(exc, InvalidToken):     # PTB raises it for 401 and 404 alike
        return UNSENT if "unauthorized" in str(exc).lower() or "(401)" in str(exc) else FINAL
    if isinstance(exc, NetworkError):     # TimedOut included
        cause = exc.__cause__
        if isinstance(cause, _NOT_SENT_CAUSES) or "Pool timeout" in str(exc):
            return UNSENT
        if isinstance(cause, httpx.HTTPError) or isinstance(exc, TimedOut):
            return UNCERTAIN              # the request may have reached Telegram
        if cause is None or not isinstance(cause, Exception) or isinstance(cause, TelegramError):
            return UNSENT                 # Telegram (or a proxy) answered 5xx: not delivered
        return UNCERTAIN
    if isinstance(exc, TelegramError):    # e.g. "Invalid server response": a 200 we cannot read
        return UNCERTAIN
    return UNCERTAIN


def retry_after_seconds(exc: RetryAfter) -> float:
    """RetryAfter's wait in seconds (int in PTB 22, timedelta later)."""
    value = exc.retry_after
    return value.total_seconds() if hasattr(value, "total_seconds") else float(value)  # type: ignore[union-attr]


class Lanes(BaseRateLimiter[dict]):
    """The Application's rate limiter: replies first, notices untouched, 429s per chat."""

    LIMITED = ("send", "edit", "copy", "forward")

    def __init__(self, rate: float = 30.0, notice_rate: float = 28.0, max_retries: int = 3,
                 max_wait: float = 120.0, backoff: float = 0.5) -> None:
        self.replies = AsyncLimiter(rate, 1)
        self.notices = AsyncLimiter(notice_rate, 1)   # the outbox worker's limiter (shared budget)
        self.max_retries = max_retries
        self.max_wait = max_wait
        self.backoff = backoff
        self._chat_free: dict[Any, float] = {}         # chat id -> loop time its 429 pause ends

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def process_request(self, callback: Callable[..., Coroutine[Any, Any, Any]], args: Any,
                              kwargs: dict[str, Any], endpoint: str, data: dict[str, Any],
                              rate_limit_args: dict | None) -> Any:
        limited = endpoint.lower().startswith(self.LIMITED)
        if (rate_limit_args or {}).get("lane") == "notice" or not (limited or endpoint == "answerCallbackQuery"):
            return await callback(*args, **kwargs)   # notices: the outbox worker; getMe, getUpdates...: PTB's loops
        loop = asyncio.get_running_loop()
        chat_id = data.get("chat_id")
        for attempt in range(self.max_retries + 1):
            pause = self._chat_free.get(chat_id, 0.0) - loop.time()
            if pause > 0:
                await asyncio.sleep(pause)
            if limited:
                if self.notices.has_capacity():
                    await self.notices.acquire()   # a reply uses the notices' share first
                await self.replies.acquire()
            try:
                return await callback(*args, **kwargs)
            except TelegramError as exc:
                kind = classify(exc)
                last = attempt == self.max_retries
                if kind == RETRY_AFTER:
                    wait = retry_after_seconds(exc)  # type: ignore[arg-type]
                    if last or wait > self.max_wait:
                        raise
                    now = loop.time()
                    if len(self._chat_free) > 1000:     # forget pauses that are over
                        self._chat_free = {c: t for c, t in self._chat_free.items() if t > now}
                    self._chat_free[chat_id] = max(self._chat_free.get(chat_id, 0.0), now + wait)
                    log.info("429 on %s to %s: this chat waits %.0f s", endpoint, chat_id, wait)
                elif kind == UNSENT and not last:
                    await asyncio.sleep(self.backoff * 2 ** attempt)
                else:
                    raise                           # final, blocked, or maybe delivered: never resent
        raise AssertionError("unreachable")


def clip(text: str) -> str:
    """Telegram's message limit."""
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


async def send_html(bot: Bot, chat_id: int, text: str, users: Users | None = None, **kwargs: Any) -> Message | None:
    """Send HTML (plain text if Telegram refuses the markup); None when the user blocked the bot.

    No retries here: the Application's `Lanes` owns them for replies.
    """
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


def _seconds(value: Any) -> float:
    return value.total_seconds() if hasattr(value, "total_seconds") else float(value)
