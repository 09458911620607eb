"""Benchmark: updates per second handled end to end through the stand-in Bot API server,
and reply latency p50/p99 (from the update being queued to the reply arriving).

    python bench/bot_throughput.py [--updates 400] [--users 40] [--rate 28]

With the default cap the bot answers at Telegram's pace (about 30 messages/s overall); a high
--rate shows how fast the bot itself can handle updates.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.botharness import running_bot  # noqa: E402

QUESTIONS = ["留岗红包怎么领", "过年加班几倍工资", "上海有话费补贴吗", "免费体检在哪", "年夜饭", "老板欠工资怎么办",
             "想找工作", "超市过年开门吗", "紅包怎麼領", "liuliang zenme ling"]


async def main(updates: int, users: int, rate: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        async with running_bot(Path(tmp) / "bench.db", outbox_rate=rate) as bot:
            await bot.say(1, "/start")                      # warm up
            server = bot.server
            pushed: dict[tuple[int, int], float] = {}
            start = time.perf_counter()
            for i in range(updates):
                chat = 10_000 + i % users
                server.push_message(chat, QUESTIONS[i % len(QUESTIONS)])
                pushed[(chat, i // users)] = time.time()
            await asyncio.to_thread(server.wait_for,
                                    lambda: len([c for c in server.calls if c.method == "sendMessage"
                                                 and int(c.params["chat_id"]) >= 10_000]) >= updates, 300)
            elapsed = time.perf_counter() - start
            single = []
            for i in range(60):                              # one question at a time: reply latency
                t = time.perf_counter()
                await bot.say(5, QUESTIONS[i % len(QUESTIONS)])
                single.append((time.perf_counter() - t) * 1000)
            latencies = []
            per_chat: dict[int, int] = {}
            for call in server.calls:
                if call.method != "sendMessage" or int(call.params["chat_id"]) < 10_000:
                    continue
                chat = int(call.params["chat_id"])
                n = per_chat.get(chat, 0)
                per_chat[chat] = n + 1
                latencies.append((call.time - pushed[(chat, n)]) * 1000)
    latencies.sort()
    single.sort()
    print(f"burst: {updates} updates from {users} users in {elapsed:.2f} s -> {updates / elapsed:.1f} updates/s "
          f"(queueing latency p50 {statistics.median(latencies):.0f} ms, p99 {latencies[int(len(latencies) * 0.99) - 1]:.0f} ms)")
    print(f"one at a time: reply latency p50 {statistics.median(single):.1f} ms, p99 {single[-1]:.1f} ms (60 questions)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--updates", type=int, default=400, help="how many questions")
    parser.add_argument("--users", type=int, default=40, help="how many different users")
    parser.add_argument("--rate", type=float, default=28, help="sending cap in messages/s (Telegram: about 30)")
    args = parser.parse_args()
    asyncio.run(main(args.updates, args.users, args.rate))
