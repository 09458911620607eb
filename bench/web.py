"""Benchmark: the web channel's /api/ask on loopback — requests/s and latency p50/p99.

    python bench/web.py [--requests 2000] [--clients 20] [--single 300]

Starts `python -m bot web` (rate limit off) on a temporary database in a child process, then:
1. one question at a time from one visitor: latency p50/p99 as a browser sees it;
2. a burst from --clients visitors at once (each with its own cookie, keep-alive connections):
   requests/s and latency p50/p99 under load.
The load generator runs on the same machine (2 cores here), so the figures are a floor.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ["留岗红包怎么领", "过年加班几倍工资", "上海有话费补贴吗", "免费体检在哪", "年夜饭", "老板欠工资怎么办",
             "想找工作", "超市过年开门吗", "紅包怎麼領", "liuliang zenme ling", "能领多少钱", "打什么电话"]


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(p / 100 * len(values)) - 1))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def visitor(base: str, questions: list[str], latencies: list[float]) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        await client.post("/api/start", json={})
        for text in questions:
            start = time.perf_counter()
            reply = await client.post("/api/ask", json={"text": text})
            latencies.append((time.perf_counter() - start) * 1000)
            reply.raise_for_status()


async def run(base: str, requests: int, clients: int, single: int) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:   # warm up
        await client.post("/api/start", json={})
        for text in QUESTIONS:
            await client.post("/api/ask", json={"text": text})
    one: list[float] = []
    await visitor(base, [QUESTIONS[i % len(QUESTIONS)] for i in range(single)], one)
    print(f"one at a time: {single} questions, p50 {statistics.median(one):.1f} ms, p99 {pct(one, 99):.1f} ms")

    burst: list[float] = []
    per = requests // clients
    start = time.perf_counter()
    await asyncio.gather(*(visitor(base, [QUESTIONS[(c + i) % len(QUESTIONS)] for i in range(per)], burst)
                           for c in range(clients)))
    elapsed = time.perf_counter() - start
    print(f"burst: {per * clients} questions from {clients} visitors in {elapsed:.2f} s -> "
          f"{per * clients / elapsed:.0f} requests/s (p50 {statistics.median(burst):.1f} ms, p99 {pct(burst, 99):.1f} ms)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--single", type=int, default=300)
    args = parser.parse_args()
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "BOT_DATABASE": str(Path(tmp) / "bench.db"), "TELEGRAM_BOT_TOKEN": "",
               "PYTHONPATH": str(ROOT)}
        server = subprocess.Popen([sys.executable, "-m", "bot", "web", "--host", "127.0.0.1", "--port", str(port),
                                   "--rate", "0"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 120
            while True:
                try:
                    if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    print("the web server did not start", file=sys.stderr)
                    return 1
                time.sleep(0.2)
            asyncio.run(run(base, args.requests, args.clients, args.single))
        finally:
            server.terminate()
            server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
