"""The one background sender that drains the outbox within Telegram's limits: the notice lane.

About 28 messages per second (aiolimiter, a budget shared with replies, which take from it
first) and one message at a time. This worker is the only retry owner for notices (the
Application's rate limiter lets them through untouched, see `bot/send.py`):

- 429: the row goes back to `pending` with the wait stored in `not_before`, and only this
  lane pauses; replies to workers go on.
- 403: the worker is marked blocked. 400/404-class: the row fails with Telegram's reason.
- Network errors, 5xx, 401: the row goes back with exponential backoff, until the deadline.
- Timeouts and resets after sending, garbled answers: the same, and the row is counted as
  possibly duplicated.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import random
from collections.abc import Awaitable, Callable

from aiolimiter import AsyncLimiter
from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import ExtBot

from bot.render import strip_html
from bot.send import BLOCKED, FINAL, NOTICE_LANE, RETRY_AFTER, UNCERTAIN, classify, retry_after_seconds
from knowledge.outbox import DEFAULT_DEADLINE, Outbox, Report

log = logging.getLogger(__name__)
RATE_PER_SECOND = 28
IDLE_SECONDS = 1.0

ReportSink = Callable[[Report], Awaitable[None]]


class OutboxWorker:
    """Runs as one asyncio task for the life of the application."""

    def __init__(self, bot: Bot, outbox: Outbox, on_report: ReportSink | None = None,
                 rate: float = RATE_PER_SECOND, *, limiter: AsyncLimiter | None = None,
                 deadline: dt.timedelta = DEFAULT_DEADLINE, backoff: tuple[float, float] = (2.0, 600.0),
                 timeout: float | None = None, idle: float = IDLE_SECONDS) -> None:
        self.bot = bot
        self.outbox = outbox
        self.on_report = on_report
        self.limiter = limiter or AsyncLimiter(rate, 1)
        self.deadline = deadline
        self.backoff = backoff           # (first wait, longest wait) in seconds
        self.timeout = timeout           # read/write timeout of one send (None: PTB's default)
        self.idle = idle
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._stopping = False
        self.pause_until = 0.0

    def start(self) -> None:
        """Recover after a crash and start draining."""
        recovered = self.outbox.recover()
        if recovered:
            log.warning("%d messages were being sent when the bot stopped; they are sent again "
                        "(counted as possibly duplicated)", recovered)
        self._task = asyncio.create_task(self._run(), name="outbox-worker")

    def wake(self) -> None:
        """Something new was queued."""
        self._wake.set()

    async def stop(self, grace: float = 10.0) -> None:
        """Stop after the message in flight (waiting up to `grace` seconds for its answer); a row
        still in flight after that stays `sending` and is resent, counted, at the next start."""
        if self._task is None:
            return
        self._stopping = True
        self._wake.set()
        try:
            await asyncio.wait_for(asyncio.shield(self._task), grace)
        except TimeoutError:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
        except asyncio.CancelledError:
            pass
        self._task = None

    async def _run(self) -> None:
        while not self._stopping:
            try:
                sent_any = await self.drain_once()
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - keep the sender alive; the row stays for a retry
                log.exception("outbox worker error")
                sent_any = False
            if not sent_any and not self._stopping:
                await self._report()
                self._wake.clear()
                try:
                    await asyncio.wait_for(self._wake.wait(), self._idle_wait())
                except TimeoutError:
                    pass

    def _idle_wait(self) -> float:
        paused = self.pause_until - asyncio.get_running_loop().time()
        if paused > 0:                            # the notice lane waits out a 429
            return max(0.01, min(self.idle, paused))
        due = self.outbox.next_due()
        if due is None:
            return self.idle
        return max(0.01, min(self.idle, (due - dt.datetime.now(dt.UTC)).total_seconds()))

    async def drain_once(self) -> bool:
        """Send the next due message; False when nothing is due."""
        loop = asyncio.get_running_loop()
        if loop.time() < self.pause_until or self._stopping:
            return False
        due = self.outbox.next_due()
        if due is None or due > dt.datetime.now(dt.UTC):
            return False
        async with self.limiter:
            # Claim only when allowed to send: the row is `sending` for as short a time as possible.
            item = self.outbox.claim()
            if item is None:
                return False
            try:
                await self._send(item.chat_id, item.text)
            except asyncio.CancelledError:
                raise                     # stays `sending`: resent (and counted) at the next start
            except Exception as exc:  # noqa: BLE001 - every failure is classified below
                self._failed(item, exc, loop.time())
            else:
                self.outbox.sent(item)
        return True

    def _failed(self, item, exc: Exception, now: float) -> None:
        kind = classify(exc) if isinstance(exc, TelegramError) else UNCERTAIN
        if kind == BLOCKED:
            self.outbox.blocked(item)
        elif kind == FINAL:
            self.outbox.failed(item, str(exc))
        elif kind == RETRY_AFTER:
            wait = retry_after_seconds(exc)  # type: ignore[arg-type]
            self.pause_until = now + wait          # only the notice lane waits
            self.outbox.retry(item, dt.timedelta(seconds=wait), f"429 retry after {wait:g}", deadline=self.deadline)
        else:                                       # UNSENT or UNCERTAIN
            first, longest = self.backoff
            wait = min(longest, first * 2 ** min(item.attempts - 1, 20)) * random.uniform(0.8, 1.2)
            error = f"{type(exc).__name__}: {exc}"
            if not self.outbox.retry(item, dt.timedelta(seconds=wait), error, uncertain=kind == UNCERTAIN,
                                     deadline=self.deadline):
                log.warning("outbox row %s failed after the retry deadline: %s", item.id, error)

    async def _send(self, chat_id: int, text: str) -> None:
        extra: dict = {"rate_limit_args": NOTICE_LANE} if isinstance(self.bot, ExtBot) else {}
        if self.timeout is not None:
            extra |= {"read_timeout": self.timeout, "write_timeout": self.timeout, "connect_timeout": self.timeout}
        try:
            await self.bot.send_message(chat_id, text, parse_mode=ParseMode.HTML, **extra)
        except BadRequest as exc:
            if "entit" not in str(exc).lower():
                raise
            await self.bot.send_message(chat_id, strip_html(text), **extra)

    async def _report(self) -> None:
        for report in self.outbox.pending_reports():
            if self.on_report:
                try:
                    await self.on_report(report)
                except Exception as exc:  # noqa: BLE001
                    kind = classify(exc) if isinstance(exc, TelegramError) else FINAL
                    log.warning("could not deliver the report of broadcast %s: %s", report.broadcast_id, exc)
                    if kind not in (FINAL, BLOCKED):
                        continue          # a transient fault: tried again on the next idle round
            self.outbox.mark_reported(report)
