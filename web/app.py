"""The web channel's ASGI app (Starlette): the chat page, station pages and the JSON API.

The Assistant is synchronous and fast (a match takes milliseconds) and shares one SQLite connection,
so handlers call it directly on the event loop, as the Telegram handlers do: one thread touches the
database, and the bot and the web page can share a process."""

from __future__ import annotations

import json
import logging
import re
import time
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from bot.keyboards import MAIN_TOPICS, MORE_LABEL, MORE_TOPICS
from bot.render import esc
from bot.services import Services
from intents.reply import GREETING
from knowledge.errors import NotFound
from knowledge.models import INTENT_NAMES
from knowledge.stations import Station
from knowledge.store import now_iso
from web.limits import MAX_BODY, MAX_TEXT, RateLimiter
from web.render import answer_json, notice_json, region_options
from web.visitors import COOKIE, Visitors

STATIC = Path(__file__).parent / "static"
COOKIE_AGE = 365 * 24 * 3600
NOTICE_LIMIT = 5
access_log = logging.getLogger("web.access")
log = logging.getLogger(__name__)

SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                                 b"connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]


class ApiError(Exception):
    """A bad request, answered as JSON {"error": code, "message": 中文说明}."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(code)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}


class AccessLog:
    """Logs method, path, status and time of every request (never bodies or query strings,
    so never a question), and adds the security headers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = list(message.get("headers", [])) + SECURITY_HEADERS
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            client = scope.get("client") or ("-", 0)
            access_log.info("%s %s %s %d %.1fms", client[0], scope["method"], scope["path"][:200], status,
                            (time.perf_counter() - start) * 1000)


class WebChat:
    """Route handlers around the shared services."""

    def __init__(self, services: Services, rate: float, burst: int, ip_rate: float, ip_burst: int) -> None:
        self.svc = services
        self.assistant = services.assistant
        self.visitors = Visitors(services.db, services.users)
        self.limiter = RateLimiter(rate, burst)            # per visitor (cookie)
        self.ip_limiter = RateLimiter(ip_rate, ip_burst)   # per address: many workers share a dorm's Wi-Fi
        self.html = (STATIC / "index.html").read_text(encoding="utf-8")

    # ------------------------------------------------------------ helpers
    def _check_rate(self, request: Request) -> None:
        """A visitor (known cookie) has its own bucket; each address has a looser one, which is all that
        limits requests without a cookie (so dropping the cookie does not escape the limit)."""
        client = request.client.host if request.client else "-"
        wait = self.ip_limiter.allow(client)
        token = request.cookies.get(COOKIE)
        if not wait and token and self.visitors.find(token) is not None:
            wait = self.limiter.allow(token)
        if wait:
            raise ApiError(429, "rate_limited", "问得太快了，请稍等几秒再试。",
                           {"Retry-After": str(max(1, round(wait)))})

    async def _body(self, request: Request) -> dict[str, Any]:
        self._check_rate(request)
        if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
            raise ApiError(415, "bad_content_type", "请用 JSON 发送（Content-Type: application/json）。")
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
            raise ApiError(413, "too_large", "内容太长了。")
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_BODY:
                raise ApiError(413, "too_large", "内容太长了。")
        try:
            data = json.loads(body or b"{}")
        except (UnicodeDecodeError, ValueError):
            raise ApiError(400, "bad_json", "请求格式不对（不是有效的 JSON）。") from None
        if not isinstance(data, dict):
            raise ApiError(400, "bad_json", "请求格式不对（应为 JSON 对象）。")
        return data

    @staticmethod
    def _field(data: dict[str, Any], name: str, kind: type = str, max_len: int = 200) -> Any:
        value = data.get(name)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise ApiError(400, "bad_field", f"缺少或不对的字段：{name}")
        if isinstance(value, str) and len(value) > max_len:
            raise ApiError(413, "too_long", f"字数太多了（最多 {max_len} 字），问题简短一点我能答得更准。")
        return value

    def _visitor(self, request: Request, create: bool = True) -> tuple[int | None, str | None]:
        """(user id, new cookie token or None)."""
        user_id = self.visitors.find(request.cookies.get(COOKIE))
        if user_id is not None or not create:
            return user_id, None
        token, user_id = self.visitors.create()
        return user_id, token

    @staticmethod
    def _json(request: Request, data: dict[str, Any], token: str | None = None, status: int = 200) -> JSONResponse:
        response = JSONResponse(data, status_code=status, headers={"Cache-Control": "no-store"})
        if token:
            response.set_cookie(COOKIE, token, max_age=COOKIE_AGE, httponly=True, samesite="lax",
                                secure=request.url.scheme == "https", path="/")
        return response

    def _region(self, user_id: int) -> dict[str, Any]:
        region = self.svc.users.get(user_id).region
        return {"region": region, "region_short": self.svc.gazetteer.short(region) if region else None}

    def _station_json(self, station: Station) -> dict[str, Any]:
        digits = re.sub(r"[^\d+]", "", station.phone or "")
        phone = f'<a href="tel:{digits}">{esc(station.phone)}</a>' if digits else ""
        return {"id": station.id, "name": station.name, "region": station.region,
                "region_short": self.svc.gazetteer.short(station.region), "address": station.address,
                "hours": station.hours, "phone": station.phone, "phone_html": phone}

    def notices(self, station: Station | None, region: str | None) -> list[dict[str, Any]]:
        """Recent notices of the station and of the region and its parents (newest first)."""
        scopes = [f"station:{station.id}"] if station else []
        region = station.region if station else region
        if region:
            scopes += list(self.svc.gazetteer.ancestors(region))
        if not scopes:
            return []
        marks = ",".join("?" for _ in scopes)
        rows = self.svc.db.execute_returning_dicts(
            f"SELECT id, text, created_at, send_at FROM broadcasts WHERE scope IN ({marks}) "
            "AND kind IN ('notice', 'broadcast') AND status != 'cancelled' "
            "AND (send_at IS NULL OR send_at <= ?) "
            f"ORDER BY id DESC LIMIT {NOTICE_LIMIT}", [*scopes, now_iso()])
        return [notice_json(r, self.svc.config.tz) for r in rows]

    # ------------------------------------------------------------ pages
    async def page(self, request: Request) -> Response:
        return HTMLResponse(self.html, headers={"Cache-Control": "no-cache"})

    async def station_page(self, request: Request) -> Response:
        try:
            self.svc.stations.get(request.path_params["station_id"])
        except NotFound:
            raise HTTPException(404, "没有这个服务站") from None
        return HTMLResponse(self.html, headers={"Cache-Control": "no-cache"})

    async def healthz(self, request: Request) -> Response:
        try:
            entries = self.svc.db.execute("SELECT COUNT(*) FROM entries").fetchone()[0]
        except Exception:  # noqa: BLE001 - any database failure means unhealthy
            log.exception("health check failed")
            return JSONResponse({"status": "error"}, status_code=503)
        return JSONResponse({"status": "ok", "entries": entries})

    # ------------------------------------------------------------ API
    async def start(self, request: Request) -> Response:
        """Open the chat: visitor, region (a station link sets it), topics, station, notices."""
        data = await self._body(request)
        user_id, token = self._visitor(request)
        station = None
        if data.get("station") is not None:
            try:
                station = self.svc.stations.get(self._field(data, "station", int))
            except NotFound:
                raise ApiError(404, "no_station", "没有这个服务站。") from None
            self.svc.users.set_region(user_id, station.region)
        region = self._region(user_id)
        topic = lambda i: {"intent": i, "label": INTENT_NAMES[i]}  # noqa: E731
        return self._json(request, {
            **region, "greeting": GREETING,
            "topics": [topic(i) for i in MAIN_TOPICS], "more_label": MORE_LABEL,
            "more_topics": [topic(i) for i in MORE_TOPICS],
            "station": self._station_json(station) if station else None,
            "notices": self.notices(station, region["region"]),
        }, token)

    async def ask(self, request: Request) -> Response:
        data = await self._body(request)
        text = self._field(data, "text", max_len=MAX_TEXT)
        user_id, token = self._visitor(request)
        answer = self.assistant.ask(user_id, text)
        return self._json(request, {**answer_json(answer, self.assistant), **self._region(user_id)}, token)

    async def topic(self, request: Request) -> Response:
        data = await self._body(request)
        name = INTENT_NAMES.get(self._field(data, "intent", max_len=40))
        if not name or data["intent"] not in (*MAIN_TOPICS, *MORE_TOPICS):
            raise ApiError(404, "no_topic", "没有这个话题。")
        user_id, token = self._visitor(request)
        answer = self.assistant.ask(user_id, name, log=False)
        return self._json(request, {**answer_json(answer, self.assistant), **self._region(user_id)}, token)

    async def entry(self, request: Request) -> Response:
        data = await self._body(request)
        entry_id = self._field(data, "id", max_len=100)
        user_id, token = self._visitor(request)
        try:
            answer = self.assistant.answer_entry(user_id, entry_id)
        except NotFound:
            raise ApiError(404, "no_entry", "这条信息已经更新或删除了，请重新提问。") from None
        return self._json(request, {**answer_json(answer, self.assistant), **self._region(user_id)}, token)

    async def regions(self, request: Request) -> Response:
        self._check_rate(request)
        parent = request.query_params.get("parent") or None
        if parent is not None and parent not in self.svc.gazetteer:
            raise ApiError(404, "no_region", "没有这个地区。")
        return self._json(request, {"options": region_options(self.svc.gazetteer, parent)})

    async def region(self, request: Request) -> Response:
        """Save a region; if the visitor was asking about a topic, answer it again for the new place."""
        data = await self._body(request)
        name = self._field(data, "region", max_len=40)
        user_id, token = self._visitor(request)
        try:
            region = self.svc.gazetteer.resolve(name)
        except NotFound:
            raise ApiError(404, "no_region", "没有这个地区。") from None
        last = self.svc.users.get(user_id).last_topic
        answer = self.assistant.save_region(user_id, region.name)      # the question we asked the region for
        reply: dict[str, Any] = {**self._region(user_id),
                                 "message": f"好的，地区已设为{region.short}。现在可以直接提问了。"}
        entry = self.svc.matcher.kb.get(last) if last and answer is None else None
        if entry is not None and entry.intent in INTENT_NAMES:
            answer = self.assistant.ask(user_id, INTENT_NAMES[entry.intent], log=False)
        if answer is not None and not answer.result.fallback:
            reply["answer"] = answer_json(answer, self.assistant)
        return self._json(request, reply, token)

    async def forget(self, request: Request) -> Response:
        await self._body(request)
        token = request.cookies.get(COOKIE)
        forgotten = self.visitors.forget(token) if token else False
        response = self._json(request, {"ok": True, "forgotten": forgotten,
                                        "message": "已删除。你的提问记录也不再和你关联。"})
        response.delete_cookie(COOKIE, path="/")
        return response


def _error_response(request: Request, status: int, code: str, message: str,
                    headers: dict[str, str] | None = None) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": code, "message": message}, status_code=status, headers=headers)
    body = ('<!doctype html><html lang="zh-CN"><meta charset="utf-8"><meta name="viewport" '
            'content="width=device-width,initial-scale=1"><title>暖心助手</title>'
            '<link rel="stylesheet" href="/static/app.css?v=1"><body><main>'
            f'<p class="msg bot">{esc(message)}</p><p class="msg bot"><a href="/">打开暖心助手</a></p></main>')
    return HTMLResponse(body, status_code=status, headers=headers)


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return _error_response(request, exc.status, exc.code, exc.message, exc.headers)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    messages = {404: "没有这个页面。", 405: "不支持这种请求方式。"}
    message = messages.get(exc.status_code, "请求有误。")
    if exc.status_code == 404 and exc.detail == "没有这个服务站":
        message = "没有这个服务站。"
    return _error_response(request, exc.status_code, {404: "not_found", 405: "bad_method"}.get(
        exc.status_code, "bad_request"), message, getattr(exc, "headers", None))


async def _server_error(request: Request, exc: Exception) -> Response:
    log.exception("web request failed", exc_info=exc)
    return _error_response(request, 500, "server_error", "出了点问题，请稍后再试，或打 12345 政务服务热线。")


def create_app(services: Services, *, rate: float = 1.0, burst: int = 20, ip_rate: float | None = None,
               ip_burst: int | None = None, trusted_proxies: str | list[str] = "127.0.0.1") -> Starlette:
    """The web app on opened services.

    `rate`/`burst`: API requests per second per visitor (0 turns every limit off); `ip_rate`/`ip_burst`:
    per client address (default 10x rate, 5x burst: a station's or a dormitory's Wi-Fi is one address);
    `trusted_proxies`: addresses whose X-Forwarded-For/-Proto are believed."""
    if ip_rate is None:
        ip_rate = rate * 10
    chat = WebChat(services, rate, burst, ip_rate, ip_burst if ip_burst is not None else burst * 5)
    routes = [
        Route("/", chat.page),
        Route("/s/{station_id:int}", chat.station_page),
        Route("/healthz", chat.healthz),
        Route("/api/start", chat.start, methods=["POST"]),
        Route("/api/ask", chat.ask, methods=["POST"]),
        Route("/api/topic", chat.topic, methods=["POST"]),
        Route("/api/entry", chat.entry, methods=["POST"]),
        Route("/api/regions", chat.regions),
        Route("/api/region", chat.region, methods=["POST"]),
        Route("/api/forget", chat.forget, methods=["POST"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(ProxyHeadersMiddleware, trusted_hosts=trusted_proxies), Middleware(AccessLog)],
        exception_handlers={ApiError: _api_error, HTTPException: _http_error, Exception: _server_error},
    )
    app.state.chat = chat
    return app
