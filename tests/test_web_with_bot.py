"""`python -m bot run --web`: the Telegram bot and the web chat in one process, on one database,
stopped cleanly by Ctrl-C (SIGINT)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.fakebotapi import FakeBotAPI

ROOT = Path(__file__).parent.parent
TOKEN = "123:WEBTEST"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_run_with_web_serves_both_channels(tmp_path: Path) -> None:
    port = _free_port()
    with FakeBotAPI(token=TOKEN) as server:
        env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": server.base_url,
               "BOT_DATABASE": str(tmp_path / "bot.db"), "PYTHONPATH": str(ROOT), "TMPDIR": str(tmp_path)}
        proc = subprocess.Popen([sys.executable, "-m", "bot", "run", "--web", "--web-host", "127.0.0.1",
                                 "--web-port", str(port)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                assert proc.poll() is None, proc.stdout.read()
                try:
                    if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                assert time.monotonic() < deadline, "the web chat did not start"
                time.sleep(0.1)
            with httpx.Client(base_url=base) as web:
                answer = web.post("/api/ask", json={"text": "上海有话费补贴吗"}).json()
            assert answer["kind"] == "measure" and "上海" in answer["card"]["heading"]
            server.push_message(4242, "上海有话费补贴吗")
            reply = server.wait_for_messages(1, chat_id=4242, timeout=20)[0]
            assert "上海" in reply["text"]
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                output, _ = proc.communicate(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                raise
    assert proc.returncode == 0, output
