"""Benchmark: the issue's fault table, re-measured through the real bot and the stand-in Bot API.

Each scenario runs the bot in-process (PTB HTTP stack, the app's lanes and outbox worker with
their production backoff) and sends one notice to 300 subscribers while the stand-in injects
the fault; it prints lost / doubled / the report's "可能重复" count and the report.

    python bench/faults.py [--recipients 300] [--only resets,502,lost-answer,401-garbage]

A 60 s outage takes about two minutes to recover from (backoff 2 s doubling, at most 600 s).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from knowledge import KnowledgeBase, open_db  # noqa: E402
from knowledge.users import Users  # noqa: E402
from tests.botharness import ADMIN, running_bot  # noqa: E402
from tests.fakebotapi import FakeBotAPI  # noqa: E402


def inject(server: FakeBotAPI, scenario: str) -> None:
    if scenario == "resets":
        server.fault_window("sendMessage", "reset_before", 60)
    elif scenario == "502":
        server.fault_window("sendMessage", 502, 60)
    elif scenario == "lost-answer":
        server.stall_seconds = 7                        # > PTB's 5 s read timeout
        server.inject_fault("sendMessage", "timeout_after", 5)
        server.inject_fault("sendMessage", "reset_after", 5)
    elif scenario == "401-garbage":
        server.fail_next("sendMessage", 401, count=2)
        server.inject_fault("sendMessage", "garbage", 1)


async def run(scenario: str, recipients: int) -> str:
    chats = list(range(400_000, 400_000 + recipients))
    with tempfile.TemporaryDirectory() as tmp, FakeBotAPI(token="123:TEST") as server:
        db_path = Path(tmp) / "faults.db"
        db = open_db(db_path)
        KnowledgeBase(db).ensure_loaded()
        users = Users(db)
        for chat in chats:
            users.set_region(chat, "上海市")
            users.set_subscribed(chat, True)
        db.close()
        started = time.monotonic()
        async with running_bot(db_path, server):
            server.push_message(ADMIN, "/broadcast 上海 春节期间地铁延长运营")
            await asyncio.to_thread(server.wait_for, lambda: len(server.sent_messages()) >= 50, 60)
            inject(server, scenario)
            await asyncio.to_thread(server.wait_for, lambda: any(
                m["text"].startswith("发送完成") for m in server.sent_messages(ADMIN)), 900)
        counts = collections.Counter(int(m["chat_id"]) for m in server.sent_messages() if "地铁延长" in m["text"])
        [report] = [m["text"] for m in server.sent_messages(ADMIN) if m["text"].startswith("发送完成")]
    lost = sum(1 for c in chats if counts[c] == 0)
    doubled = sum(n - 1 for n in counts.values() if n > 1)
    uncertain = int(re.search(r"可能重复 (\d+)", report).group(1))
    return (f"{scenario:12} lost {lost}, doubled {doubled}, reported uncertain {uncertain} "
            f"({time.monotonic() - started:.0f} s) | {report}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--recipients", type=int, default=300)
    parser.add_argument("--only", default="resets,502,lost-answer,401-garbage")
    args = parser.parse_args()
    for scenario in args.only.split(","):
        print(asyncio.run(run(scenario, args.recipients)), flush=True)


if __name__ == "__main__":
    main()
