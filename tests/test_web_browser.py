"""A real browser on the web chat: Debian's Chromium driven by Playwright, at a phone's 360x740.

Opens a station link, taps a topic button, types a follow-up, and sees the amount and a tel: link.
The screenshots are kept in `.cache/web-station-360x740.png` and `.cache/web-chat-360x740.png` (or $NUANXIN_ARTIFACTS) for a person to look at.
Skips, saying why, only where Playwright or a Chromium cannot be found (.ci/run installs both)."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from bot.config import Config

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


def _chromium() -> str | None:
    for candidate in (os.environ.get("NUANXIN_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser"), shutil.which("google-chrome")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer(threading.Thread):
    """uvicorn in a thread of its own; the database is opened in that thread (SQLite's rule)."""

    def __init__(self, database: Path, port: int) -> None:
        super().__init__(daemon=True)
        self.database, self.port = database, port
        self.ready = threading.Event()
        self.error: BaseException | None = None
        self.server = None

    def run(self) -> None:
        try:
            import uvicorn

            from bot.services import Services
            from web.app import create_app

            services = Services.open(Config(database=self.database))
            services.stations.create({"name": "迎江区暖民稳岗服务站", "region": "迎江区", "address": "人民路1号",
                                      "phone": "0556-5512345", "hours": "除夕至初六 9:00-17:00"}, "test")
            services.outbox.create(sender_id=None, kind="notice", scope="station:1", recipients=[],
                                   text="📢 <b>迎江区暖民稳岗服务站通知</b>\n正月初五上午在服务站免费体检，带身份证。")
            config = uvicorn.Config(create_app(services, rate=0), host="127.0.0.1", port=self.port,
                                    access_log=False, log_level="warning", lifespan="off")
            self.server = uvicorn.Server(config)
            loop = asyncio.new_event_loop()
            loop.call_later(0.05, self.ready.set)
            loop.run_until_complete(self.server.serve())
            services.close()
        except BaseException as exc:  # noqa: BLE001 - reported to the test
            self.error = exc
            self.ready.set()

    def stop(self) -> None:
        if self.server is not None:
            self.server.should_exit = True
        self.join(timeout=10)


@pytest.fixture
def live_server(tmp_path: Path):
    server = LiveServer(tmp_path / "bot.db", _free_port())
    server.start()
    assert server.ready.wait(60)
    deadline = time.monotonic() + 30
    while server.error is None and time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", server.port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    if server.error:
        raise server.error
    yield f"http://127.0.0.1:{server.port}"
    server.stop()


def test_station_link_topic_and_follow_up_in_a_real_browser(live_server: str) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install playwright)")
    executable = _chromium()
    if executable is None:
        pytest.skip("no Chromium found: install it with `apt-get install -y chromium` (.ci/run does)")
    shot = Path(os.environ.get("NUANXIN_ARTIFACTS", Path(__file__).parent.parent / ".cache")) / "web-chat-360x740.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 360, "height": 740}, locale="zh-CN", has_touch=True,
                                    is_mobile=True)
            page.set_default_timeout(15_000)
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            outside: list[str] = []
            page.on("request", lambda req: None if req.url.startswith(live_server) else outside.append(req.url))

            page.goto(f"{live_server}/s/1")
            sync_api.expect(page.locator("#station")).to_contain_text("迎江区暖民稳岗服务站")
            sync_api.expect(page.locator("#station a[href^='tel:']")).to_have_text("0556-5512345")
            sync_api.expect(page.locator("#notices")).to_contain_text("正月初五上午在服务站免费体检")
            sync_api.expect(page.locator("#region-name")).to_have_text("安庆迎江区")
            sync_api.expect(page.locator(".msg.bot")).to_contain_text("已为你设置地区")
            page.screenshot(path=str(shot.with_name("web-station-360x740.png")))

            page.get_by_role("button", name="红包补贴", exact=True).tap()
            sync_api.expect(page.locator(".msg.bot[data-kind]")).to_have_count(1)

            page.locator("#text").fill("能领多少钱")
            page.locator("#send").tap()
            answer = page.locator(".msg.bot[data-kind]").nth(1)
            sync_api.expect(answer).to_contain_text("每人2000元")
            sync_api.expect(answer.locator("a[href^='tel:']").first).to_be_visible()
            page.locator(".msg.me").last.evaluate("el => el.scrollIntoView({block: 'start'})")
            # Laid out for the phone: nothing wider than the screen, tap targets at least 44 px high.
            assert page.evaluate("document.documentElement.scrollWidth") <= 360
            heights = page.locator(".topics button").evaluate_all("bs => bs.map(b => b.offsetHeight)")
            assert heights and min(heights) >= 44
            page.screenshot(path=str(shot))
            assert not errors, errors
            assert not outside, f"requests outside the app: {outside}"
        finally:
            browser.close()
    assert shot.stat().st_size > 10_000
