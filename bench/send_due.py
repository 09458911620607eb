"""Benchmark: several `reminders send-due` processes at once on one database.

Each round starts N processes together with the same --now (a holiday reminder is due); every
process must finish without "database is locked", and each reminder is queued once.

    python bench/send_due.py [--processes 4] [--rounds 5] [--users 2000]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from knowledge import KnowledgeBase, open_db  # noqa: E402

DUE = ["2027-02-05T14:30:00+08:00", "2027-02-06T10:30:00+08:00", "2027-02-10T10:30:00+08:00",
       "2027-02-11T10:30:00+08:00", "2027-02-20T10:30:00+08:00", "2027-02-24T10:30:00+08:00"]


def main(processes: int, rounds: int, users: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "due.db"
        db = open_db(db_path)
        KnowledgeBase(db).ensure_loaded()
        with db.atomic():
            db["users"].insert_all([{"user_id": 600_000 + n, "region": "上海市", "subscribed": 1, "reminders": 1,
                                     "blocked": 0} for n in range(users)])
        db.close()
        env = {**os.environ, "BOT_DATABASE": str(db_path), "TELEGRAM_BOT_TOKEN": "",
               "NUANXIN_CACHE_DIR": str(ROOT / ".cache")}
        crashed = locked = 0
        for n in range(rounds):
            procs = [subprocess.Popen([sys.executable, "-m", "bot", "reminders", "send-due", "--now", DUE[n % len(DUE)]],
                                      cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                     for _ in range(processes)]
            for proc in procs:
                out, err = proc.communicate(timeout=300)
                crashed += proc.returncode != 0
                locked += "database is locked" in err
        db = open_db(db_path)
        origins = db.execute("SELECT COUNT(*), COUNT(DISTINCT origin) FROM broadcasts").fetchone()
        rows = db.execute("SELECT COUNT(*), COUNT(DISTINCT broadcast_id || ':' || chat_id) FROM outbox").fetchone()
    print(f"{rounds} rounds x {processes} concurrent send-due, {users} users: {crashed} crashed, "
          f"{locked} 'database is locked'; broadcasts {origins[0]} (distinct origins {origins[1]}), "
          f"outbox rows {rows[0]} (distinct {rows[1]})")
    return 0 if crashed == 0 else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--users", type=int, default=2000)
    args = parser.parse_args()
    sys.exit(main(args.processes, args.rounds, args.users))
