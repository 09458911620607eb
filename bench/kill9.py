"""Benchmark: kill -9 the bot at random moments during broadcasts, restart it, count the damage.

The real bot (`python -m bot run`) runs against the stand-in Bot API while workers ask
questions (about 15 a second). Broadcasts are sent one after the other by an admin's
/broadcast; the bot is killed with SIGKILL at random moments (during start-up and replay,
mid-broadcast, right after a /broadcast was fetched, and during 429 waits) and restarted at
once. At the end every broadcast must have reached every recipient (lost = 0), its report
must have reached the admin, and duplicates must not exceed the report's "可能重复" count.

    python bench/kill9.py [--kills 24] [--recipients 1000] [--seed 1]
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from knowledge import KnowledgeBase, open_db  # noqa: E402
from tests.fakebotapi import FakeBotAPI  # noqa: E402

TOKEN = "123:KILL"
ADMIN = 900001
REGION = "安徽省安庆市宜秀区"
QUESTIONS = ["安庆留岗红包有多少", "过年加班费怎么算", "工资拖欠找谁", "免费体检在哪里", "春节能不能坐免费大巴"]


def start(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_ready(server: FakeBotAPI, since: float) -> None:
    """Until the restarted bot starts polling (its deleteWebhook call comes first)."""
    server.wait_for(lambda: any(c.method == "deleteWebhook" and c.time > since for c in server.calls), 60)


def reports(server: FakeBotAPI) -> list[str]:
    return [m["text"] for m in server.sent_messages(ADMIN) if m["text"].startswith("发送完成")]


def main(kills: int, recipients: int, seed: int, rate: float) -> int:
    rng = random.Random(seed)
    chats = list(range(200_000, 200_000 + recipients))
    with tempfile.TemporaryDirectory() as tmp, FakeBotAPI(token=TOKEN) as server:
        db_path = Path(tmp) / "kill9.db"
        db = open_db(db_path)
        KnowledgeBase(db).ensure_loaded()
        with db.atomic():
            db["users"].insert_all([{"user_id": u, "region": REGION, "subscribed": 1, "reminders": 1, "blocked": 0}
                                    for u in chats])
        db.close()
        env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "BOT_DATABASE": str(db_path), "BOT_ADMIN_IDS": str(ADMIN),
               "BOT_OUTBOX_RATE": str(rate), "TELEGRAM_API_BASE_URL": server.base_url,
               "NUANXIN_CACHE_DIR": str(ROOT / ".cache")}
        stop = threading.Event()

        def ask() -> None:                      # background load: workers asking questions
            n = 0
            while not stop.wait(1 / 15):
                server.push_message(10_000 + n % 50, QUESTIONS[n % len(QUESTIONS)])
                n += 1

        threading.Thread(target=ask, daemon=True).start()
        last_start = time.time()
        proc = start(env)
        broadcasts, killed, moments = 0, 0, collections.Counter()
        started = time.monotonic()

        def broadcast() -> int:
            nonlocal broadcasts
            broadcasts += 1
            return server.push_message(ADMIN, f"/broadcast 安庆市 第{broadcasts}号通知：春风行动招聘会")

        wait_ready(server, last_start)
        broadcast()
        try:
            while killed < kills:
                if len(reports(server)) >= broadcasts:
                    update_id = broadcast()
                    if rng.random() < 0.3:      # kill right after the /broadcast was fetched
                        server.wait_for(lambda u=update_id: server.confirmed_offset > u, 60)
                        moments["after fetch"] += 1
                        proc.send_signal(signal.SIGKILL)
                        proc.wait(10)
                        killed += 1
                        last_start = time.time()
                        proc = start(env)
                        continue
                roll = rng.random()
                if roll < 0.2:                  # during start-up and replay
                    moments["start-up"] += 1
                    time.sleep(rng.uniform(0.0, 2.0))
                else:
                    wait_ready(server, last_start)
                    if roll < 0.4:              # during a 429 wait
                        server.fail_next("sendMessage", 429, retry_after=3)
                        moments["429 wait"] += 1
                    else:
                        moments["running"] += 1
                    time.sleep(rng.uniform(0.0, 3.0))
                proc.send_signal(signal.SIGKILL)
                proc.wait(10)
                killed += 1
                last_start = time.time()
                proc = start(env)
            server.wait_for(lambda: len(reports(server)) >= broadcasts, 300)
        finally:
            stop.set()
            proc.terminate()
            proc.wait(10)
        lost = doubled = uncertain = 0
        texts = reports(server)
        for number in range(1, broadcasts + 1):
            marker = f"第{number}号通知"
            counts = collections.Counter(int(m["chat_id"]) for m in server.sent_messages()
                                         if marker in m["text"] and int(m["chat_id"]) >= 200_000)
            lost += sum(1 for c in chats if counts[c] == 0)
            doubled += sum(n - 1 for n in counts.values() if n > 1)
        for text in texts:
            uncertain += int(re.search(r"可能重复 (\d+)", text).group(1))
        ok = lost == 0 and doubled <= uncertain and len(texts) >= broadcasts
    print(f"kill -9 x{killed} ({dict(moments)}) over {broadcasts} broadcasts x {recipients} recipients "
          f"in {time.monotonic() - started:.0f} s: lost {lost}, doubled {doubled}, reported uncertain {uncertain}, "
          f"reports {len(texts)}/{broadcasts} -> {'OK' if ok else 'FAILED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kills", type=int, default=24)
    parser.add_argument("--recipients", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rate", type=float, default=100, help="BOT_OUTBOX_RATE for the bot")
    args = parser.parse_args()
    sys.exit(main(args.kills, args.recipients, args.seed, args.rate))
