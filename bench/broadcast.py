"""Benchmark: a broadcast to N recipients against a stand-in that enforces 30 messages/s with
429s. Reports the achieved rate as a ratio of the cap (target >= 0.9) and checks nothing is
lost or sent twice.

    python bench/broadcast.py [--recipients 10000] [--cap 30]
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from telegram import Bot  # noqa: E402

from bot.outbox_worker import OutboxWorker  # noqa: E402
from knowledge import KnowledgeBase, open_db  # noqa: E402
from knowledge.outbox import Outbox  # noqa: E402
from tests.fakebotapi import FakeBotAPI  # noqa: E402


async def main(recipients: int, cap: float) -> None:
    with tempfile.TemporaryDirectory() as tmp, FakeBotAPI(token="123:BENCH") as server:
        server.rate_limit(cap)
        db = open_db(Path(tmp) / "bench.db")
        kb = KnowledgeBase(db)
        outbox = Outbox(db, kb)
        chats = list(range(100_000, 100_000 + recipients))
        outbox.create(sender_id=None, kind="broadcast", scope="上海市", text="📢 测试通知", recipients=chats)
        bot = Bot("123:BENCH", base_url=server.base_url)
        async with bot:
            worker = OutboxWorker(bot, outbox)
            start = time.perf_counter()
            worker.start()
            await asyncio.to_thread(server.wait_for_messages, recipients, None, recipients / cap * 3 + 60)
            elapsed = time.perf_counter() - start
            await worker.stop()
        counts = collections.Counter(int(m["chat_id"]) for m in server.sent_messages())
    rate = recipients / elapsed
    print(f"{recipients} recipients in {elapsed:.1f} s: {rate:.1f} msg/s = {rate / cap:.2f} of the {cap:g}/s cap; "
          f"429s from server: {server.too_many_count}")
    print(f"lost: {sum(1 for c in chats if counts[c] == 0)}, sent twice: {sum(1 for c in chats if counts[c] > 1)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--recipients", type=int, default=10000, help="how many subscribers")
    parser.add_argument("--cap", type=float, default=30, help="messages per second the stand-in allows")
    args = parser.parse_args()
    asyncio.run(main(args.recipients, args.cap))
