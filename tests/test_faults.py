"""Delivery under faults, through the stand-in Bot API and PTB's real HTTP stack.

Every test counts what the stand-in delivered: lost = 0, and duplicates <= the "可能重复"
count in the sender's report. Faults are injected by count, not by time, so the runs are
deterministic.
"""

from __future__ import annotations

import asyncio
import collections
import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from telegram import Bot

from bot.outbox_worker import OutboxWorker
from knowledge import KnowledgeBase, open_db
from knowledge.outbox import Outbox, Report
from tests.botharness import ADMIN, running_bot
from tests.fakebotapi import FakeBotAPI

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
QUESTION = "上海免费流量怎么领"


@pytest.fixture
def server() -> Iterator[FakeBotAPI]:
    with FakeBotAPI(token="123:TEST") as srv:
        yield srv


def delivered(server: FakeBotAPI, chats: list[int]) -> tuple[int, int]:
    """(lost, duplicated) recipients, from what the stand-in accepted."""
    counts = collections.Counter(int(m["chat_id"]) for m in server.sent_messages())
    return sum(1 for c in chats if counts[c] == 0), sum(counts[c] - 1 for c in chats if counts[c] > 1)


async def broadcast(server: FakeBotAPI, db_path: Path, chats: list[int], timeout: float = 1.5,
                    deadline: dt.timedelta = dt.timedelta(hours=1), backoff: tuple[float, float] = (0.02, 0.1)) -> Report:
    """Queue one notice to `chats`, run the outbox worker until the final report, return it."""
    db = open_db(db_path)
    outbox = Outbox(db, KnowledgeBase(db))
    outbox.create(sender_id=ADMIN, kind="broadcast", scope="上海市", text="📢 通知", recipients=chats)
    done: asyncio.Future[Report] = asyncio.get_running_loop().create_future()

    async def on_report(report: Report) -> None:
        if report.final and not done.done():
            done.set_result(report)

    async with Bot(server.token, base_url=server.base_url) as bot:
        worker = OutboxWorker(bot, outbox, on_report, rate=500, backoff=backoff, timeout=timeout,
                              deadline=deadline, idle=0.05)
        worker.start()
        try:
            return await asyncio.wait_for(done, 60)
        finally:
            await worker.stop()
            db.close()


async def test_resets_timeouts_and_garbled_answers_lose_nobody_and_count_every_uncertain_send(server, db_path) -> None:
    chats = list(range(5001, 5021))
    server.stall_seconds = 1.3                              # > the 1.0 s read timeout below
    for fault, count in (("reset_before", 3), ("reset_after", 2), ("garbage", 2), ("timeout_before", 1),
                         ("timeout_after", 1)):
        server.inject_fault("sendMessage", fault, count)
    # Backoff of 4 s: every faulted call hits a different recipient (the faults are over in ~2 s).
    report = await broadcast(server, db_path, chats, timeout=1.0, backoff=(4.0, 8.0))
    # Uncertain: the resets (the client cannot tell before from after), both timeouts and the
    # unreadable 200s. Doubled: only the sends that were delivered and then lost their answer.
    assert delivered(server, chats) == (0, 3)
    assert report.text().startswith("发送完成：共 20 人，成功 20，已屏蔽机器人 0，失败 0，仍在重试 0，可能重复 9")


async def test_http_errors_end_only_400_403_404_rows(server, db_path) -> None:
    chats = list(range(5101, 5121))
    server.block_user(5120)
    for status, count in ((502, 3), (500, 1), (401, 2), (400, 1)):
        server.fail_next("sendMessage", status, count=count)
    report = await broadcast(server, db_path, chats)
    # 502, 500 and 401 are retried; the 400 ends one row, the 403 another.
    assert delivered(server, chats) == (2, 0)
    assert server.sent_messages(5120) == []
    assert report.text().startswith("发送完成：共 20 人，成功 18，已屏蔽机器人 1，失败 1（Bad Request 1），"
                                    "仍在重试 0，可能重复 0")


async def test_outage_window_of_resets_and_502s_is_waited_out(server, db_path) -> None:
    chats = list(range(6001, 6011))
    server.inject_fault("sendMessage", "reset_before", 25)
    server.fail_next("sendMessage", 502, count=25)
    report = await broadcast(server, db_path, chats)
    assert delivered(server, chats) == (0, 0)
    assert (report.sent, report.failed, report.retrying) == (10, 0, 0)
    assert report.uncertain == 10            # every recipient met a reset: Telegram may have had it


async def test_retry_deadline_ends_a_row_with_the_reason(server, db_path) -> None:
    server.fail_next("sendMessage", 502, count=1000)
    report = await broadcast(server, db_path, [7001], deadline=dt.timedelta(seconds=0.3))
    assert report.text().startswith("发送完成：共 1 人，成功 0，已屏蔽机器人 0，失败 1（重试期限已过 1），仍在重试 0，可能重复 0")


async def test_reply_is_not_held_behind_a_notice_429(server, db_path) -> None:
    async with running_bot(db_path, server) as bot:
        svc = bot.app.bot_data["services"]
        server.fail_next("sendMessage", 429, retry_after=60)
        svc.outbox.create(sender_id=ADMIN, kind="broadcast", scope="上海市", text="通知",
                          recipients=list(range(8001, 8021)))
        bot.app.bot_data["outbox_worker"].wake()
        await asyncio.to_thread(server.wait_for, lambda: server.too_many_count == 1)
        t0 = time.monotonic()
        [reply] = await bot.say(1001, QUESTION)
        assert time.monotonic() - t0 < 10 and "上海" in reply["text"]
        # The notice lane waits out the 60 s; its row holds the wait and is not in flight.
        rows = list(svc.db.query("SELECT status, error FROM outbox WHERE error IS NOT NULL"))
        assert rows == [{"status": "pending", "error": "429 retry after 60"}]
        assert svc.outbox.counts(1) == {"pending": 20}


async def test_a_429_on_a_reply_delays_only_that_chat(server, db_path) -> None:
    async with running_bot(db_path, server) as bot:
        server.fail_next("sendMessage", 429, retry_after=2)
        server.push_message(1001, QUESTION)
        await asyncio.to_thread(server.wait_for, lambda: server.too_many_count == 1)
        [other] = await bot.say(1002, QUESTION)
        assert "上海" in other["text"] and server.sent_messages(1001) == []
        [late] = await bot.wait(1001, 1)
        assert late["text"] == other["text"]


async def test_a_clean_stop_finishes_the_send_in_flight(server, db_path) -> None:
    db = open_db(db_path)
    outbox = Outbox(db, KnowledgeBase(db))
    outbox.create(sender_id=None, kind="broadcast", scope="上海市", text="通知", recipients=list(range(9001, 9041)))
    server.stall_seconds = 0.5
    async with Bot(server.token, base_url=server.base_url) as bot:
        worker = OutboxWorker(bot, outbox, rate=500, timeout=2.0)
        worker.start()
        await asyncio.to_thread(server.wait_for, lambda: len(server.sent_messages()) >= 5)
        server.inject_fault("sendMessage", "timeout_before")        # the next send hangs for 0.5 s
        await asyncio.to_thread(server.wait_for, lambda: server._faults["sendMessage"] == [])
        await worker.stop()
    states = dict(db.execute("SELECT status, COUNT(*) FROM outbox GROUP BY status").fetchall())
    assert "sending" not in states and states["pending"] > 0
    db.close()
