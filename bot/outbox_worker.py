"""The one background sender that drains the outbox within Telegram's limits.

About 30 messages per second overall (aiolimiter, slightly under the cap so the server
never has to refuse) and one message at a time. RetryAfter is honoured, Forbidden marks the
worker blocked, network errors and 5xx are retried with backoff.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable

from aiolimiter import AsyncLimiter
from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.render import strip_html
from knowledge.outbox import Outbox, Report

log = logging.getLogger(__name__)
RATE_PER_SECOND = 28
IDLE_SECONDS = 1.0

ReportSink = Callable[[Report], Awaitable[None]]


class OutboxWorker:
    """Runs as one asyncio task for the life of the application."""

    def __init__(self, bot: Bot, outbox: Outbox, on_report: ReportSink | None = None,
                 rate: float = RATE_PER_SECOND) -> None:
        self.bot = bot
        self.outbox = outbox
        self.on_report = on_report
        self.limiter = AsyncLimiter(rate, 1)
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None
        self.pause_until = 0.0

    def start(self) -> None:
        """Recover after a crash and start draining."""
        recovered = self.outbox.recover()
        if recovered:
            log.warning("%d messages were being sent when the bot stopped; counted as sent", recovered)
        self._task = asyncio.create_task(self._run(), name="outbox-worker")

    def wake(self) -> None:
        """Something new was queued."""
        self._wake.set()

    async def stop(self) -> None:
        """Stop after the message in flight."""
        if self._task:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass

    async def _run(self) -> None:
        while True:
            try:
                sent_any = await self.drain_once()
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - keep the sender alive; the row stays for a retry
                log.exception("outbox worker error")
                sent_any = False
            if not sent_any:
                await self._report()
                self._wake.clear()
                try:
                    await asyncio.wait_for(self._wake.wait(), IDLE_SECONDS)
                except TimeoutError:
                    pass

    async def drain_once(self) -> bool:
        """Send the next due message; False when nothing is due."""
        loop = asyncio.get_running_loop()
        if loop.time() < self.pause_until:
            await asyncio.sleep(self.pause_until - loop.time())
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
            except Forbidden:
                self.outbox.blocked(item)
            except RetryAfter as exc:
                wait = _seconds(exc.retry_after)
                self.pause_until = loop.time() + wait          # everyone waits: the limit is global
                self.outbox.retry(item, dt.timedelta(seconds=wait), f"429 retry after {wait}")
            except BadRequest as exc:
                self.outbox.failed(item, str(exc))
            except (TimedOut, NetworkError) as exc:
                backoff = min(60, 2 ** item.attempts)
                self.outbox.retry(item, dt.timedelta(seconds=backoff), str(exc))
            else:
                self.outbox.sent(item)
        return True

    async def _send(self, chat_id: int, text: str) -> None:
        try:
            await self.bot.send_message(chat_id, text, parse_mode=ParseMode.HTML)
        except BadRequest as exc:
            if "entit" not in str(exc).lower():
                raise
            await self.bot.send_message(chat_id, strip_html(text))

    async def _report(self) -> None:
        for report in self.outbox.finished_reports():
            if self.on_report:
                try:
                    await self.on_report(report)
                except Exception:  # noqa: BLE001
                    log.exception("could not deliver a broadcast report")


def _seconds(value: object) -> float:
    return value.total_seconds() if hasattr(value, "total_seconds") else float(value)  # type: ignore[union-attr]
