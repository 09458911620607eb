"""Benchmark: a worker's question during a broadcast that met a 429 with retry_after 60.

The real bot (PTB HTTP stack, the app's rate limiter and outbox worker) runs against the
stand-in Bot API. The first notice gets "429, retry after 60"; then workers ask questions
one after another and each reply's latency is measured (target: every one within 2 s).

    python bench/lanes.py [--questions 20] [--recipients 200]
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

from tests.botharness import ADMIN, running_bot  # noqa: E402
from tests.fakebotapi import FakeBotAPI  # noqa: E402

QUESTIONS = ["上海免费流量怎么领", "安庆留岗红包有多少", "过年加班费怎么算", "工资拖欠找谁", "芙蓉区年夜饭"]


async def main(questions: int, recipients: int) -> None:
    with tempfile.TemporaryDirectory() as tmp, FakeBotAPI(token="123:TEST") as server:
        async with running_bot(Path(tmp) / "bench.db", server) as bot:
            svc = bot.app.bot_data["services"]
            server.fail_next("sendMessage", 429, retry_after=60)
            svc.outbox.create(sender_id=ADMIN, kind="broadcast", scope="上海市", text="通知",
                              recipients=list(range(500_000, 500_000 + recipients)))
            bot.app.bot_data["outbox_worker"].wake()
            await asyncio.to_thread(server.wait_for, lambda: server.too_many_count == 1, 30)
            latencies = []
            for n in range(questions):
                t0 = time.perf_counter()
                await bot.say(10_000 + n, QUESTIONS[n % len(QUESTIONS)], timeout=70)
                latencies.append(time.perf_counter() - t0)
            held = svc.outbox.counts(1)
    latencies.sort()
    print(f"{questions} questions during a 60 s notice-lane 429: reply latency p50 {statistics.median(latencies):.3f} s, "
          f"max {latencies[-1]:.3f} s [target: every one < 2 s]; notices meanwhile: {held}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--questions", type=int, default=20)
    parser.add_argument("--recipients", type=int, default=200)
    args = parser.parse_args()
    asyncio.run(main(args.questions, args.recipients))
