"""The web channel in process (httpx's ASGI transport, in the test's own thread and loop): answers, follow-ups by cookie, station links,
region buttons, forget, rate limit, bad input, escaping, proxies, access log."""

from __future__ import annotations

import enum
import logging
import re
from pathlib import Path

import httpx
import pytest

from bot.config import Config, ConfigError
from bot.services import Services
from intents.reply import Card
from web.app import create_app
from web.limits import MAX_BODY, RateLimiter
from web.render import answer_kind, card_html
from web.visitors import COOKIE, WEB_ID_BASE

STATIC = Path(__file__).parent.parent / "web" / "static"


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> Services:
    svc = Services.open(Config(database=tmp_path_factory.mktemp("web") / "bot.db"))
    station = svc.stations.create({"name": "迎江区暖民稳岗服务站", "region": "迎江区", "address": "人民路1号",
                                   "phone": "0556-5512345", "hours": "除夕至初六 9:00-17:00"}, "test")
    svc.outbox.create(sender_id=None, kind="notice", scope=f"station:{station.id}", recipients=[],
                      text="📢 <b>迎江区暖民稳岗服务站通知</b>\n初五免费体检 &lt;script&gt;x&lt;/script&gt; 电话 0556-5512345")
    svc.outbox.create(sender_id=None, kind="notice", scope="station:999", recipients=[], text="别的站的通知")
    yield svc
    svc.close()


@pytest.fixture(scope="module")
def app(services: Services):
    return create_app(services, rate=0, trusted_proxies="127.0.0.1")


def Client(app) -> httpx.AsyncClient:  # noqa: N802 - reads like the class it returns
    """A browser-like client: keeps cookies between requests."""
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
    client.app = app
    return client


@pytest.fixture
async def client(app):
    async with Client(app) as c:
        yield c


async def post(client: httpx.AsyncClient, path: str, body: dict | None = None, **kw) -> httpx.Response:
    return await client.post(path, json=body if body is not None else {}, **kw)


def visitor_id(services: Services, client: httpx.AsyncClient) -> int:
    return client.app.state.chat.visitors.find(client.cookies.get(COOKIE))


async def test_healthz_and_page(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json()["entries"] > 100
    page = await client.get("/")
    assert page.status_code == 200 and "暖心助手" in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert (await client.get("/static/app.js")).status_code == 200


def test_no_external_assets() -> None:
    """Everything is served by the app: no CDN, no web font, no external link in page, style or script."""
    for name in ("index.html", "app.css", "app.js"):
        text = (STATIC / name).read_text(encoding="utf-8")
        assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/|@import|url\(", text, re.I), name


async def test_answer_and_follow_up_across_requests(client: httpx.AsyncClient, services: Services) -> None:
    await post(client, "/api/start", {"station": 1})
    first = (await post(client, "/api/topic", {"intent": "red_packet"})).json()
    assert first["kind"] == "measure" and first["region_short"] == "安庆迎江区"
    follow = (await post(client, "/api/ask", {"text": "能领多少钱"})).json()
    assert follow["kind"] == "followup" and follow["card"]["body"].startswith("👉 金额：每人2000元")
    assert '<a href="tel:' in follow["html"]
    again = (await post(client, "/api/ask", {"text": "打什么电话"})).json()
    assert again["entry"] == follow["entry"] and again["card"]["body"].startswith("👉 联系：")
    # A stranger without the cookie has no topic to follow.
    stranger = Client(client.app)
    alone = (await post(stranger, "/api/ask", {"text": "打什么电话"})).json()
    assert alone["entry"] != follow["entry"]


async def test_visitors_get_separate_negative_ids(client: httpx.AsyncClient, services: Services) -> None:
    await post(client, "/api/ask", {"text": "你好"})
    other = Client(client.app)
    await post(other, "/api/ask", {"text": "你好"})
    a, b = visitor_id(services, client), visitor_id(services, other)
    assert a != b and a <= -WEB_ID_BASE and b <= -WEB_ID_BASE
    cookie = client.cookies.get(COOKIE)
    assert cookie and len(cookie) >= 32
    assert not services.db.execute("SELECT 1 FROM web_visitors WHERE token_hash = ?", [cookie]).fetchone()


async def test_station_link_sets_region_and_shows_station_and_notices(client: httpx.AsyncClient, services: Services) -> None:
    assert (await client.get("/s/1")).status_code == 200
    missing = await client.get("/s/999")
    assert missing.status_code == 404 and "没有这个服务站" in missing.text
    data = (await post(client, "/api/start", {"station": 1})).json()
    assert data["region"] == "安徽省安庆市迎江区"
    assert services.users.get(visitor_id(services, client)).region == "安徽省安庆市迎江区"
    station = data["station"]
    assert station["name"] == "迎江区暖民稳岗服务站" and station["hours"].startswith("除夕")
    assert station["phone_html"] == '<a href="tel:05565512345">0556-5512345</a>'
    assert [t["label"] for t in data["topics"]][:2] == ["红包补贴", "免费流量"]
    assert len(data["notices"]) == 1
    notice = data["notices"][0]["html"]
    assert "初五免费体检" in notice and "<script>" not in notice and "&lt;script&gt;" in notice
    assert 'href="tel:0556-5512345"' in notice
    assert (await post(client, "/api/start", {"station": 999})).status_code == 404
    # Never subscribed: a web visitor cannot be pushed to.
    assert visitor_id(services, client) not in services.stations.subscribers(1)


async def test_region_buttons(client: httpx.AsyncClient, services: Services) -> None:
    answer = (await post(client, "/api/ask", {"text": "留岗补贴有多少"})).json()
    assert answer["kind"] == "ask_region"
    cities = {b["label"]: b for b in answer["buttons"]}
    assert cities["安庆"]["type"] == "region" and cities["安庆"]["final"] is False
    districts = (await client.get("/api/regions", params={"parent": cities["安庆"]["name"]})).json()["options"]
    assert districts[0]["label"] == "整个安庆" and any(d["name"].endswith("迎江区") for d in districts)
    yingjiang = next(d for d in districts if d["name"].endswith("迎江区"))
    saved = (await post(client, "/api/region", {"region": yingjiang["name"]})).json()
    assert saved["region_short"] == "安庆迎江区" and "地区已设为" in saved["message"]
    assert saved["answer"]["kind"] == "measure"      # the topic asked about, now for the chosen place
    assert "每人2000元" in saved["answer"]["html"]
    assert (await client.get("/api/regions", params={"parent": "火星"})).status_code == 404
    assert (await post(client, "/api/region", {"region": "火星"})).json()["error"] == "no_region"


async def test_did_you_mean_and_related_buttons(client: httpx.AsyncClient) -> None:
    await post(client, "/api/start", {"station": 1})
    answer = (await post(client, "/api/topic", {"intent": "red_packet"})).json()
    related = [b for b in answer["buttons"] if b["type"] == "entry"]
    assert related and all(b["label"].startswith("相关：") for b in related)
    tapped = (await post(client, "/api/entry", {"id": related[0]["id"]})).json()
    assert tapped["entry"] == related[0]["id"]
    assert (await post(client, "/api/entry", {"id": "no-such-entry"})).status_code == 404
    async with Client(client.app) as fresh:
        await post(fresh, "/api/start", {"station": 1})
        unsure = (await post(fresh, "/api/ask", {"text": "过年加班费怎么算？另外免费体检在哪做"})).json()
    assert unsure["kind"] == "measure"           # two questions: the first answered, the second offered
    assert [b["type"] for b in unsure["buttons"]] == ["entry"] * len(unsure["buttons"]) and unsure["buttons"]
    assert (await post(client, "/api/topic", {"intent": "greeting"})).status_code == 404


async def test_forget(client: httpx.AsyncClient, services: Services) -> None:
    await post(client, "/api/start", {"station": 1})
    await post(client, "/api/ask", {"text": "免费体检在哪"})
    user_id = visitor_id(services, client)
    assert services.users.exists(user_id)
    assert services.db.execute("SELECT COUNT(*) FROM question_log WHERE user_id = ?", [user_id]).fetchone()[0] >= 1
    reply = await post(client, "/api/forget")
    assert reply.json()["forgotten"] is True and "已删除" in reply.json()["message"]
    assert not services.users.exists(user_id)
    assert services.db.execute("SELECT COUNT(*) FROM question_log WHERE user_id = ?", [user_id]).fetchone()[0] == 0
    assert client.cookies.get(COOKIE) is None
    again = (await post(client, "/api/start")).json()
    assert again["region"] is None


async def test_rate_limit(services: Services) -> None:
    limited = Client(create_app(services, rate=1, burst=3))
    await post(limited, "/api/start")
    codes = [(await post(limited, "/api/ask", {"text": "你好"})).status_code for _ in range(4)]
    assert codes[:3] == [200, 200, 200] and codes[3] == 429
    reply = await post(limited, "/api/ask", {"text": "你好"})
    assert reply.json()["error"] == "rate_limited" and int(reply.headers["retry-after"]) >= 1
    assert (await limited.get("/healthz")).status_code == 200      # the page and health check are not limited
    # Another worker on the same Wi-Fi (same address, own cookie) is not held up by the first.
    neighbour = Client(limited.app)
    await post(neighbour, "/api/start")
    assert (await post(neighbour, "/api/ask", {"text": "你好"})).status_code == 200


async def test_dropping_the_cookie_does_not_escape_the_limit(services: Services) -> None:
    app = create_app(services, rate=1, burst=3, ip_rate=1, ip_burst=6)
    codes = []
    for _ in range(8):
        async with Client(app) as fresh:      # a new client each time: no cookie
            codes.append((await post(fresh, "/api/ask", {"text": "你好"})).status_code)
    assert codes[:6] == [200] * 6 and codes[6:] == [429, 429]


def test_rate_limiter_refills() -> None:
    now = [0.0]
    limiter = RateLimiter(rate=2, burst=2, clock=lambda: now[0])
    assert limiter.allow("a") == 0 and limiter.allow("a") == 0 and limiter.allow("a") > 0
    assert limiter.allow("b") == 0
    now[0] += 0.5
    assert limiter.allow("a") == 0


@pytest.mark.parametrize(("body", "headers", "status", "error"), [
    (b"{bad json", {"content-type": "application/json"}, 400, "bad_json"),
    (b"[1, 2]", {"content-type": "application/json"}, 400, "bad_json"),
    (b"\xff\xfe", {"content-type": "application/json"}, 400, "bad_json"),
    (b'{"text": 5}', {"content-type": "application/json"}, 400, "bad_field"),
    (b'{}', {"content-type": "application/json"}, 400, "bad_field"),
    (b'{"text": "' + "字".encode() * 501 + b'"}', {"content-type": "application/json"}, 413, "too_long"),
    (b'{"text": "' + b"a" * (MAX_BODY + 10) + b'"}', {"content-type": "application/json"}, 413, "too_large"),
    (b"text=hi", {"content-type": "application/x-www-form-urlencoded"}, 415, "bad_content_type"),
])
async def test_bad_requests_get_json_errors(client: httpx.AsyncClient, body: bytes, headers: dict, status: int, error: str) -> None:
    reply = await client.post("/api/ask", content=body, headers=headers)
    assert reply.status_code == status
    assert reply.json()["error"] == error and reply.json()["message"]


async def test_oversized_body_without_length_is_cut_off(client: httpx.AsyncClient) -> None:
    async def chunks():
        for _ in range(10):
            yield b"x" * 1000
    reply = await client.post("/api/ask", content=chunks(), headers={"content-type": "application/json"})
    assert reply.status_code == 413 and reply.json()["error"] == "too_large"


async def test_unknown_routes_and_methods_are_json(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/ask")).json()["error"] == "bad_method"
    assert (await client.get("/api/nothing")).json()["error"] == "not_found"
    assert "没有这个页面" in (await client.get("/nothing")).text
    assert (await client.get("/api/faq")).status_code == 404        # no admin or operator function on the web


def test_every_text_is_escaped() -> None:
    card = Card(heading="<b>标题</b>", body='<script>alert("x")</script> 电话 12345', lines=[("金额", "<i>1</i>")],
                notes=["<img src=x onerror=y>"], small="<a href=x>来源</a>")
    html = card_html(card)
    assert "<script" not in html and "<img" not in html and "<i>" not in html and "<a href=x" not in html
    assert "&lt;script&gt;" in html and '<a href="tel:12345">12345</a>' in html


async def test_question_echo_is_escaped(client: httpx.AsyncClient) -> None:
    answer = (await post(client, "/api/ask", {"text": "<script>alert(1)</script>我在<b>迎江区</b>"})).json()
    assert "<script" not in answer["html"] and "<b>" not in answer["html"]


def test_answer_kind_follows_the_engine() -> None:
    class Result:
        kind = "overview"
    class Ans:
        result = Result()
    assert answer_kind(Ans()) == "overview"

    class Kind(enum.Enum):
        ASK_REGION = "ask_region"

    class Ans2:
        kind = Kind.ASK_REGION
        result = None
    assert answer_kind(Ans2()) == "ask_region"


async def test_forwarded_headers_from_trusted_proxy(services: Services) -> None:
    behind = Client(create_app(services, rate=0, ip_rate=1, ip_burst=1, trusted_proxies="127.0.0.1"))
    first = await post(behind, "/api/start", headers={"x-forwarded-for": "203.0.113.7", "x-forwarded-proto": "https"})
    assert "secure" in first.headers["set-cookie"].lower()
    # Each real client has its own bucket.
    assert (await post(behind, "/api/ask", {"text": "你好"}, headers={"x-forwarded-for": "203.0.113.7"})).status_code == 429
    assert (await post(behind, "/api/ask", {"text": "你好"}, headers={"x-forwarded-for": "203.0.113.8"})).status_code == 200
    # An untrusted peer cannot pick its address.
    direct = Client(create_app(services, rate=0, ip_rate=1, ip_burst=1, trusted_proxies="10.0.0.1"))
    assert (await post(direct, "/api/ask", {"text": "你好"}, headers={"x-forwarded-for": "1.1.1.1"})).status_code == 200
    assert (await post(direct, "/api/ask", {"text": "你好"}, headers={"x-forwarded-for": "2.2.2.2"})).status_code == 429


async def test_access_log_has_no_question_text(client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="web.access"):
        await post(client, "/api/ask", {"text": "欠薪找谁秘密问题"})
    lines = [r.getMessage() for r in caplog.records if r.name == "web.access"]
    assert any("POST /api/ask 200" in line for line in lines)
    assert not any("欠薪" in line or "秘密" in line for line in lines)


def test_config_reads_web_settings() -> None:
    config = Config.from_env({"BOT_WEB_PORT": "9000", "BOT_PUBLIC_URL": "https://nx.example.cn/"})
    assert config.web_port == 9000 and config.public_url == "https://nx.example.cn"
    assert Config.from_env({}).web_port == 8080
    with pytest.raises(ConfigError):
        Config.from_env({"BOT_PUBLIC_URL": "nx.example.cn"})
    with pytest.raises(ConfigError):
        Config.from_env({"BOT_WEB_PORT": "abc"})


def test_cli_has_web_command() -> None:
    from bot.cli import build_parser
    args = build_parser().parse_args(["web", "--port", "9001", "--rate", "0"])
    assert args.port == 9001 and args.rate == 0
    run = build_parser().parse_args(["run", "--web", "--web-port", "9002"])
    assert run.web and run.web_port == 9002
