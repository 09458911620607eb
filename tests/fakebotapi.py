"""A small stand-in for the Telegram Bot API, for end-to-end tests without network.

``FakeBotAPI`` runs a ``ThreadingHTTPServer`` on 127.0.0.1 in a background thread and answers
the Bot API methods a python-telegram-bot (PTB) application uses, so tests can drive the real
``Application`` and HTTP stack::

    with FakeBotAPI() as server:
        app = Application.builder().token(server.token).base_url(server.base_url).build()
        ...
        server.push_message(1001, "/start")
        server.wait_for_messages(1, chat_id=1001)

How PTB 22 talks to the API (checked against its sources): every call is a POST to
``<base_url><token>/<method>``; parameters travel as ``application/x-www-form-urlencoded``, or as
``multipart/form-data`` when a file is uploaded; every value is a string, and non-string values
(ints, reply_markup, lists) are ``json.dumps``-ed.  JSON bodies and GET query strings are accepted
too.  Parsed parameters are JSON-decoded where they look like JSON, except free-text fields.

All state is guarded by one ``threading.Condition``; every recorded call and every queued update
notifies it, which is what ``getUpdates`` long polling and ``wait_for`` block on.
"""

from __future__ import annotations

import copy
import itertools
import json
import math
import re
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

# Methods that deliver a message; sent_messages() returns their parameters.
SEND_METHODS = ("sendMessage", "sendPhoto", "sendDocument")
# Methods counted by rate_limit(): Telegram's flood limits apply to edits as well.
RATE_LIMITED = frozenset({*SEND_METHODS, "editMessageText", "editMessageReplyMarkup"})
# Free-text parameters that stay strings even when they look like JSON ("123", "[1]", "true").
STRING_FIELDS = frozenset({
    "text", "caption", "parse_mode", "callback_query_id", "inline_message_id", "data", "url", "action",
    "file_id", "emoji", "name", "title", "description", "short_description", "language_code", "query",
    "question", "address", "phone_number", "first_name", "last_name", "business_connection_id",
})
_JSON_LIKE = re.compile(r"\s*(?:[{\[].*|-?\d+(?:\.\d+)?|true|false|null)\s*", re.S)
_HEADER_PARAM = re.compile(r';\s*([^\s=;]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)')


@dataclass(frozen=True)
class Call:
    """One request as the server saw it; ``status`` is the HTTP status it answered with."""

    method: str
    params: dict[str, Any]
    time: float  # time.time() when the request arrived
    status: int = 200


class ApiError(Exception):
    """Raised inside a method handler to answer with an error status."""

    def __init__(self, status: int, description: str | None = None, retry_after: int | None = None):
        super().__init__(description)
        self.status = status
        self.retry_after = retry_after
        if description is None and status == 429:
            description = f"Too Many Requests: retry after {retry_after}"
        elif description is None:
            try:
                description = HTTPStatus(status).phrase
            except ValueError:
                description = "Error"
        self.description = description

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


class _Bucket:
    """Token bucket: ``rate`` tokens per second, holding at most max(1, rate)."""

    def __init__(self, rate: float):
        self.rate, self.capacity = rate, max(1.0, rate)
        self.tokens, self.stamp = self.capacity, time.monotonic()

    def wait_time(self, now: float) -> float:
        """Refill, then return 0 if a token is available, else seconds until there is one."""
        self.tokens = min(self.capacity, self.tokens + max(0.0, now - self.stamp) * self.rate)
        self.stamp = max(self.stamp, now)
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate


# --------------------------------------------------------------------------- request parsing

def _parse_header(value: str) -> tuple[str, dict[str, str]]:
    """Split 'type/sub; a=1; b="x"' into ('type/sub', {'a': '1', 'b': 'x'})."""
    main = value.split(";", 1)[0].strip().lower()
    params: dict[str, str] = {}
    for key, raw in _HEADER_PARAM.findall(value):
        raw = raw.strip()
        if raw.startswith('"'):
            # Quoted string: undo backslash escapes, then the HTML5 %-escapes httpx applies
            # to '"' and control characters (it sends other non-ASCII as raw UTF-8).
            raw = re.sub(r"\\(.)", r"\1", raw[1:-1])
            raw = re.sub(r"%(22|[01][0-9A-F])", lambda m: chr(int(m.group(1), 16)), raw)
        elif key.endswith("*") and "''" in raw:  # RFC 5987: filename*=UTF-8''%E6%8A%A5.txt
            charset, _, encoded = raw.partition("''")
            raw = unquote(encoded, encoding=charset or "utf-8")
        params[key.lower()] = raw
    return main, params


def _parse_multipart(body: bytes, boundary: str) -> dict[str, Any]:
    """Parse multipart/form-data.  File parts become {"filename", "size", "content_type", "content"}."""
    fields: dict[str, Any] = {}
    # A delimiter is CRLF "--" boundary, then "--" for the last one, optional blanks and CRLF;
    # the first may come without the CRLF.  Content may contain "--boundaryX", so match exactly.
    data = b"\r\n" + body
    delimiter = re.compile(rb"\r\n--" + re.escape(boundary.encode("latin-1")) + rb"(--)?[ \t]*(?:\r\n|\Z)")
    marks = list(delimiter.finditer(data))
    for this, following in zip(marks, marks[1:], strict=False):
        if this.group(1):  # close delimiter
            break
        part = data[this.end():following.start()]
        if part.startswith(b"\r\n"):  # a part without headers has no name: nothing to record
            continue
        head, sep, content = part.partition(b"\r\n\r\n")
        if not sep:
            raise ValueError("malformed multipart part")
        headers = {}
        for line in head.decode("utf-8").split("\r\n"):
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        _, disposition = _parse_header(headers.get("content-disposition", ""))
        if "name" not in disposition:
            continue
        filename = disposition.get("filename*") or disposition.get("filename")
        if filename is None:
            fields[disposition["name"]] = content.decode("utf-8")
        else:
            fields[disposition["name"]] = {
                "filename": filename, "size": len(content),
                "content_type": headers.get("content-type", "application/octet-stream"), "content": content,
            }
    return fields


def parse_params(content_type: str, body: bytes, query: str = "") -> dict[str, Any]:
    """Turn a request's query string and body into a parameter dict, decoding JSON-ish values."""
    params: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    mime, options = _parse_header(content_type)
    if mime == "application/json":
        decoded = json.loads(body or b"{}")
        if not isinstance(decoded, dict):
            raise ValueError("JSON body must be an object")
        params.update(decoded)
    elif mime == "application/x-www-form-urlencoded":
        params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    elif mime == "multipart/form-data":
        params.update(_parse_multipart(body, options["boundary"]))
    elif body.strip():
        raise ValueError(f"unsupported Content-Type {content_type!r}")
    for key, value in params.items():
        if isinstance(value, str) and key not in STRING_FIELDS and _JSON_LIKE.fullmatch(value):
            try:
                params[key] = json.loads(value)
            except ValueError:
                pass  # looked like JSON but is not: keep the string
    return params


# --------------------------------------------------------------------------- HTTP plumbing

class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like api.telegram.org
    disable_nagle_algorithm = True  # header and body are separate writes: avoid the 40 ms delayed-ACK stall
    server: _Server

    def do_POST(self) -> None:
        body = self._read_body()
        url = urlsplit(self.path)
        url = url._replace(path=unquote(url.path))  # PTB percent-encodes file paths, ':' included
        fault = self.server.api._take_fault(url.path)
        if fault in ("reset_before", "timeout_before"):   # the request never reaches the API
            self._hang_up(fault)
            return
        if fault == "garbage":                            # a proxy's page instead of JSON; nothing sent
            self._answer(200, b"<html><body>upstream error</body></html>", "text/html")
            return
        if url.path.startswith("/file/bot"):
            status, data, ctype = self.server.api._download(url.path)
        else:
            status, data = self.server.api._dispatch(url.path, url.query, self.headers.get("Content-Type", ""), body)
            ctype = "application/json"
        if fault in ("reset_after", "timeout_after"):     # processed (delivered), but the answer is lost
            self._hang_up(fault)
            return
        self._answer(status, data, ctype)

    do_GET = do_POST

    def _answer(self, status: int, data: bytes, ctype: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _hang_up(self, fault: str) -> None:
        """Reset the connection (RST), after stalling past the client's timeout for timeout_*."""
        if fault.startswith("timeout"):
            self.server.api._stall()
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
        except OSError:
            pass

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while size := int(self.rfile.readline().split(b";")[0], 16):
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                pass  # trailers
            return b"".join(chunks)
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def log_message(self, format: str, *args: Any) -> None:  # silence the access log
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # idle keep-alive connections must not hold up stop()
    api: FakeBotAPI

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients hang up on long polls all the time; that is not an error here


# --------------------------------------------------------------------------- the fake API

class FakeBotAPI:
    """A thread-safe in-process Bot API stand-in; see the module docstring."""

    def __init__(self, token: str = "123:TEST", bot_username: str = "nuanxin_test_bot"):
        self.token = token
        self.bot_user = {"id": int(token.split(":")[0]) if token.split(":")[0].isdigit() else 123,
                         "is_bot": True, "first_name": "暖心助手", "username": bot_username,
                         "can_join_groups": False, "can_read_all_group_messages": False,
                         "supports_inline_queries": False}
        self.too_many_count = 0  # 429 answers given, injected or from rate_limit()
        self._cond = threading.Condition()  # guards everything below
        self._calls: list[Call] = []
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._ids = itertools.count(1)  # callback query ids, file ids
        self._next_message_id: dict[int, int] = {}
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}  # (chat, id) -> message
        self._last_bot_message: dict[int, int] = {}
        self._names: dict[int, str] = {}
        self._files: dict[str, tuple[str, bytes]] = {}  # file_id -> (name, content), for getFile
        self._commands: dict[str, list[Any]] = {}
        self._webhook = ""
        self._blocked: set[int] = set()
        self._failures: dict[str, list[ApiError]] = {}
        self._updates_error: int | None = None
        self._faults: dict[str, list[str]] = {}
        self._windows: dict[str, list[tuple[float, str | int]]] = {}
        self.confirmed_offset = 0  # the highest getUpdates offset received: updates below it are acknowledged
        self.stall_seconds = 1.0  # how long timeout_* faults stall (set above the client's read timeout)
        self._global_bucket: _Bucket | None = None
        self._per_chat_rate: float | None = None
        self._chat_buckets: dict[int, _Bucket] = {}
        self._stopping = False
        self._methods = {n[5:].lower(): n[5:] for n in dir(self) if n.startswith("_api_")}
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.api = self
        self.port: int = self._httpd.server_address[1]
        self._thread: threading.Thread | None = None

    # ----------------------------------------------------------------- lifecycle
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    def start(self) -> FakeBotAPI:
        if self._thread is None:
            self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,),
                                            name="FakeBotAPI", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify_all()  # release long polls
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> FakeBotAPI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ----------------------------------------------------------------- inspection
    @property
    def calls(self) -> list[Call]:
        with self._cond:
            return list(self._calls)

    def sent_messages(self, chat_id: int | str | None = None) -> list[dict[str, Any]]:
        """Parameters of successful sendMessage/sendPhoto/sendDocument calls, in order."""
        with self._cond:
            return [c.params for c in self._calls if c.method in SEND_METHODS and c.status == 200
                    and (chat_id is None or str(c.params.get("chat_id")) == str(chat_id))]

    def wait_for(self, predicate: Callable[[], Any], timeout: float = 5.0) -> Any:
        """Block until predicate() is truthy (re-checked after every call); return its value."""
        with self._cond:
            result = self._cond.wait_for(predicate, timeout)
            if not result:
                raise AssertionError(f"condition not met within {timeout}s\n{self._dump()}")
            return result

    def wait_for_messages(self, n: int, chat_id: int | str | None = None, timeout: float = 5.0) -> list[dict[str, Any]]:
        """Block until at least n messages were sent (to chat_id); return them all."""
        try:
            self.wait_for(lambda: len(self.sent_messages(chat_id)) >= n, timeout)
        except AssertionError as exc:
            got = len(self.sent_messages(chat_id))
            raise AssertionError(f"expected {n} messages to chat {chat_id}, got {got}; {exc}") from None
        return self.sent_messages(chat_id)

    def file_bytes(self, file_id: str) -> bytes:
        """Content of an uploaded file, by the file_id recorded in e.g. params["document"]["file_id"]."""
        with self._cond:
            return self._files[file_id][1]

    def _dump(self, last: int = 15) -> str:
        calls = [c for c in self._calls if c.method != "getUpdates"][-last:]
        lines = [f"  {c.method} -> {c.status}: {str(c.params)[:200]}" for c in calls]
        return f"last {len(calls)} calls (getUpdates omitted):\n" + "\n".join(lines or ["  (none)"]) + \
            f"\nqueued updates: {[u['update_id'] for u in self._updates]}"

    # ----------------------------------------------------------------- failure injection
    def block_user(self, chat_id: int) -> None:
        with self._cond:
            self._blocked.add(int(chat_id))

    def unblock_user(self, chat_id: int) -> None:
        with self._cond:
            self._blocked.discard(int(chat_id))

    def fail_next(self, method: str, status: int, retry_after: int | None = None, count: int = 1) -> None:
        """Make the next `count` calls of `method` answer `status` (429 gets retry_after, default 1)."""
        if status == 429:
            retry_after = retry_after or 1
        with self._cond:
            self._failures.setdefault(method, []).extend(ApiError(status, retry_after=retry_after) for _ in range(count))

    FAULTS = ("reset_before", "reset_after", "timeout_before", "timeout_after", "garbage")

    def inject_fault(self, method: str, fault: str, count: int = 1) -> None:
        """Make the next `count` calls of `method` fail at the transport level.

        reset_before / timeout_before: the connection is reset (after a stall longer than the
        client's timeout) and the call never reaches the API. reset_after / timeout_after: the
        call is processed (a message is delivered and recorded) and then the answer is lost.
        garbage: a 200 with an HTML body; the call is not processed.
        """
        if fault not in self.FAULTS:
            raise ValueError(f"unknown fault {fault!r}; one of {self.FAULTS}")
        with self._cond:
            self._faults.setdefault(method, []).extend([fault] * count)

    def fault_window(self, method: str, fault: str | int, seconds: float) -> None:
        """For the next `seconds`, every call of `method` meets `fault` (one of FAULTS, or an
        HTTP status such as 502). For benchmarks; tests use counts (inject_fault, fail_next)."""
        if not isinstance(fault, int) and fault not in self.FAULTS:
            raise ValueError(f"unknown fault {fault!r}")
        with self._cond:
            self._windows.setdefault(method, []).append((time.monotonic() + seconds, fault))

    def _window(self, method: str) -> str | int | None:
        now = time.monotonic()
        windows = [w for w in self._windows.get(method, []) if w[0] > now]
        self._windows[method] = windows
        return windows[0][1] if windows else None

    def _take_fault(self, path: str) -> str | None:
        match = re.fullmatch(r"/bot[^/]*/(\w+)", path)
        if match is None:
            return None
        with self._cond:
            method = self._methods.get(match.group(1).lower(), match.group(1))
            window = self._window(method)
            if isinstance(window, str):
                return window
            queue = self._faults.get(method)
            return queue.pop(0) if queue else None

    def _stall(self) -> None:
        with self._cond:  # returns early when the server stops
            self._cond.wait_for(lambda: self._stopping, self.stall_seconds)

    def rate_limit(self, per_second: float, per_chat_per_second: float | None = None) -> None:
        """Enforce flood limits on send/edit methods, answering 429 with retry_after beyond them."""
        with self._cond:
            self._global_bucket, self._per_chat_rate = _Bucket(per_second), per_chat_per_second
            self._chat_buckets = {}

    def set_updates_error(self, status: int | None) -> None:
        """Make every getUpdates answer `status` (e.g. 409, 502) until called with None."""
        with self._cond:
            self._updates_error = status

    def _check_limits(self, method: str, chat_id: int | None) -> None:
        window = self._window(method)
        if isinstance(window, int):
            raise ApiError(window)
        if self._failures.get(method):
            raise self._failures[method].pop(0)
        if chat_id in self._blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if self._global_bucket is None or method not in RATE_LIMITED:
            return
        now, buckets = time.monotonic(), [self._global_bucket]
        if self._per_chat_rate is not None and chat_id is not None:
            buckets.append(self._chat_buckets.setdefault(chat_id, _Bucket(self._per_chat_rate)))
        wait = max(b.wait_time(now) for b in buckets)
        if wait > 0:
            raise ApiError(429, retry_after=max(1, math.ceil(wait)))
        for bucket in buckets:
            bucket.tokens -= 1

    # ----------------------------------------------------------------- injecting updates
    def push_update(self, update: dict[str, Any]) -> int:
        """Queue a raw update; an update_id is assigned unless given.  Returns the update_id."""
        with self._cond:
            if "update_id" not in update:
                update = {"update_id": next(self._update_ids), **update}
            else:  # keep the counter ahead of explicit ids
                self._update_ids = itertools.count(max(update["update_id"] + 1, next(self._update_ids)))
            self._updates.append(update)
            self._cond.notify_all()
            return update["update_id"]

    def push_message(self, chat_id: int, text: str, user_id: int | None = None,
                     first_name: str = "工友", **extra: Any) -> int:
        fields: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            fields["entities"] = [{"type": "bot_command", "offset": 0, "length": _utf16_len(command)}]
        return self._push_user_message(chat_id, {**fields, **extra}, user_id, first_name)

    def push_callback(self, chat_id: int, data: str, message_id: int | None = None,
                      user_id: int | None = None) -> int:
        """A tap on an inline button under message_id (default: the bot's latest message there)."""
        with self._cond:
            message_id = message_id or self._last_bot_message.get(chat_id)
            message = self._messages.get((chat_id, message_id or 0))
            if message is None:  # nothing sent yet: invent the message the button was under
                message = self._store(self._new_message(chat_id, self.bot_user, {"text": "…"}, message_id))
            query = {"id": str(next(self._ids)), "from": self._user(chat_id, user_id),
                     "chat_instance": str(chat_id), "data": data, "message": copy.deepcopy(message)}
            return self.push_update({"callback_query": query})

    def push_location(self, chat_id: int, latitude: float, longitude: float) -> int:
        return self._push_user_message(chat_id, {"location": {"latitude": latitude, "longitude": longitude}})

    def push_sticker(self, chat_id: int, emoji: str = "😀") -> int:
        sticker = {**self._file_stub("sticker.webp"), "type": "regular", "width": 512, "height": 512,
                   "is_animated": False, "is_video": False, "emoji": emoji}
        return self._push_user_message(chat_id, {"sticker": sticker})

    def push_photo(self, chat_id: int, caption: str | None = None) -> int:
        photo = [{**self._file_stub("photo.jpg"), "width": 90, "height": 90}]
        return self._push_user_message(chat_id, {"photo": photo} | ({"caption": caption} if caption else {}))

    def push_voice(self, chat_id: int, duration: int = 3) -> int:
        voice = {**self._file_stub("voice.ogg"), "duration": duration, "mime_type": "audio/ogg"}
        return self._push_user_message(chat_id, {"voice": voice})

    def push_contact(self, chat_id: int, phone: str) -> int:
        contact = {"phone_number": phone, "first_name": self._names.get(chat_id, "工友"), "user_id": chat_id}
        return self._push_user_message(chat_id, {"contact": contact})

    def _push_user_message(self, chat_id: int, fields: dict[str, Any], user_id: int | None = None,
                           first_name: str | None = None) -> int:
        with self._cond:
            if first_name:
                self._names[chat_id] = first_name
            message = self._store(self._new_message(chat_id, self._user(chat_id, user_id), fields))
            return self.push_update({"message": copy.deepcopy(message)})

    # ----------------------------------------------------------------- message helpers
    def _user(self, chat_id: int, user_id: int | None) -> dict[str, Any]:
        return {"id": user_id or chat_id, "is_bot": False, "first_name": self._names.get(chat_id, "工友"),
                "language_code": "zh-hans"}

    def _new_message(self, chat_id: int, sender: dict[str, Any], fields: dict[str, Any],
                     message_id: int | None = None) -> dict[str, Any]:
        if message_id is None:
            message_id = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = max(message_id + 1, self._next_message_id.get(chat_id, 1))
        chat = {"id": chat_id, "type": "private", "first_name": self._names.get(chat_id, "工友")}
        return {"message_id": message_id, "date": int(time.time()), "chat": chat, "from": sender, **fields}

    def _store(self, message: dict[str, Any]) -> dict[str, Any]:
        key = (message["chat"]["id"], message["message_id"])
        self._messages[key] = message
        if message["from"].get("is_bot"):
            self._last_bot_message[key[0]] = key[1]
        return message

    def _file_stub(self, name: str, content: bytes = b"\x00fake") -> dict[str, Any]:
        """File fields for a message; the content is downloadable through getFile."""
        with self._cond:
            file_id = f"file{next(self._ids)}"
            self._files[file_id] = (name, content)
        return {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_size": len(content)}

    def _download(self, path: str) -> tuple[int, bytes, str]:
        """Serve GET /file/bot<token>/files/<file_id>/<name> (the file_path getFile gave out)."""
        prefix = f"/file/bot{self.token}/files/"
        file_id = path[len(prefix):].split("/")[0] if path.startswith(prefix) else ""
        with self._cond:
            name_content = self._files.get(file_id)
        if name_content is None:
            return 404, b"Not Found", "text/plain"
        return 200, name_content[1], "application/octet-stream"

    # ----------------------------------------------------------------- dispatch
    def _dispatch(self, path: str, query: str, content_type: str, body: bytes) -> tuple[int, bytes]:
        """Answer one API request: (HTTP status, JSON body).  Records the call."""
        arrived = time.time()
        match = re.fullmatch(r"/bot([^/]*)/(\w+)", path)
        if match is None:
            return 404, json.dumps(ApiError(404, "Not Found").payload()).encode()
        token, name = match.groups()
        method = self._methods.get(name.lower(), name)  # method names are case-insensitive
        try:
            params = parse_params(content_type, body, query)
        except (ValueError, KeyError, UnicodeDecodeError) as exc:
            params, parse_error = {}, ApiError(400, f"Bad Request: can't parse request: {exc}")
        else:
            parse_error = None
        with self._cond:
            try:
                if token != self.token:
                    raise ApiError(401, "Unauthorized")
                handler = getattr(self, f"_api_{method}", None)
                if handler is None:
                    raise ApiError(404, "Not Found: method not found")
                if parse_error:
                    raise parse_error
                chat_id = params.get("chat_id")
                self._check_limits(method, chat_id if isinstance(chat_id, int) else None)
                status, payload = 200, {"ok": True, "result": handler(params)}
            except ApiError as exc:
                status, payload = exc.status, exc.payload()
            except Exception as exc:  # a bug in this fake or a malformed parameter: say so loudly
                status, payload = 500, ApiError(500, f"Internal Server Error: FakeBotAPI: {exc!r}").payload()
            for value in params.values():  # uploaded bytes live in the file store, not in the record
                if isinstance(value, dict):
                    value.pop("content", None)
            if status == 429:
                self.too_many_count += 1
            self._calls.append(Call(method, params, arrived, status))
            self._cond.notify_all()
            # Encode while holding the lock: results may be stored messages other threads edit.
            return status, json.dumps(payload, ensure_ascii=False).encode()

    # One _api_<method> per supported Bot API method; each returns the "result".
    def _api_getMe(self, p: dict[str, Any]) -> Any:
        return self.bot_user

    def _api_logOut(self, p: dict[str, Any]) -> Any:
        return True

    _api_close = _api_logOut
    _api_sendChatAction = _api_logOut
    _api_setChatMenuButton = _api_logOut

    def _api_answerCallbackQuery(self, p: dict[str, Any]) -> Any:
        if not p.get("callback_query_id"):
            raise ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        return True

    def _api_setWebhook(self, p: dict[str, Any]) -> Any:
        self._webhook = str(p.get("url", ""))
        return True

    def _api_deleteWebhook(self, p: dict[str, Any]) -> Any:
        self._webhook = ""
        if p.get("drop_pending_updates") is True:
            self._updates.clear()
        return True

    def _api_getWebhookInfo(self, p: dict[str, Any]) -> Any:
        return {"url": self._webhook, "has_custom_certificate": False, "pending_update_count": len(self._updates)}

    def _api_getUpdates(self, p: dict[str, Any]) -> Any:
        if self._updates_error:
            raise ApiError(self._updates_error)
        if self._webhook:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active")
        offset, limit = int(p.get("offset") or 0), min(max(int(p.get("limit") or 100), 1), 100)
        if offset > self.confirmed_offset:  # updates below it are acknowledged as of now
            self.confirmed_offset = offset
            self._cond.notify_all()
        if offset < 0:  # the last -offset updates; earlier ones are forgotten
            del self._updates[:offset]
        elif offset:  # updates below offset are confirmed
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        deadline = time.monotonic() + float(p.get("timeout") or 0)
        while not self._updates and not self._stopping and (left := deadline - time.monotonic()) > 0:
            self._cond.wait(left)
        return self._updates[:limit]

    def _api_setMyCommands(self, p: dict[str, Any]) -> Any:
        self._commands[self._commands_key(p)] = list(p.get("commands") or [])
        return True

    def _api_getMyCommands(self, p: dict[str, Any]) -> Any:
        return self._commands.get(self._commands_key(p), [])

    def _api_deleteMyCommands(self, p: dict[str, Any]) -> Any:
        self._commands.pop(self._commands_key(p), None)
        return True

    @staticmethod
    def _commands_key(p: dict[str, Any]) -> str:
        return json.dumps([p.get("scope") or {"type": "default"}, p.get("language_code", "")], sort_keys=True)

    def _chat(self, p: dict[str, Any]) -> int:
        if not isinstance(p.get("chat_id"), int):
            raise ApiError(400, "Bad Request: chat not found")
        return p["chat_id"]

    def _send(self, p: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
        markup = p.get("reply_markup")
        if isinstance(markup, dict) and "inline_keyboard" in markup:  # only inline keyboards come back
            fields["reply_markup"] = markup
        if p.get("caption"):
            fields["caption"] = p["caption"]
        return self._store(self._new_message(self._chat(p), self.bot_user, fields))

    def _api_sendMessage(self, p: dict[str, Any]) -> Any:
        if not str(p.get("text", "")).strip():
            raise ApiError(400, "Bad Request: message text is empty")
        return self._send(p, {"text": p["text"]})

    def _upload(self, p: dict[str, Any], field: str, default_name: str) -> dict[str, Any]:
        """Store the uploaded (or referenced) file; note its file_id in the recorded params."""
        value = p.get(field)
        if isinstance(value, dict) and "content" in value:
            stub = self._file_stub(value["filename"], value["content"])
            value["file_id"] = stub["file_id"]
            return {**stub, "file_name": value["filename"], "mime_type": value["content_type"]}
        if not value:
            raise ApiError(400, f"Bad Request: there is no {field} in the request")
        return {**self._file_stub(default_name), "file_name": default_name}

    def _api_sendPhoto(self, p: dict[str, Any]) -> Any:
        info = self._upload(p, "photo", "photo.jpg")
        size = {k: info[k] for k in ("file_id", "file_unique_id", "file_size")}
        return self._send(p, {"photo": [{**size, "width": 640, "height": 480}]})

    def _api_sendDocument(self, p: dict[str, Any]) -> Any:
        return self._send(p, {"document": self._upload(p, "document", "document.bin")})

    def _api_getFile(self, p: dict[str, Any]) -> Any:
        file_id = str(p.get("file_id"))
        if file_id not in self._files:
            raise ApiError(400, "Bad Request: invalid file_id")
        name, content = self._files[file_id]
        return {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_size": len(content),
                "file_path": f"files/{file_id}/{name}"}

    def _edited(self, p: dict[str, Any]) -> dict[str, Any] | None:
        """The stored message an edit refers to; None for inline messages."""
        if p.get("inline_message_id"):
            return None
        message = self._messages.get((self._chat(p), int(p.get("message_id") or 0)))
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        message["edit_date"] = int(time.time())
        if isinstance(p.get("reply_markup"), dict) and "inline_keyboard" in p["reply_markup"]:
            message["reply_markup"] = p["reply_markup"]
        else:
            message.pop("reply_markup", None)
        return message

    def _api_editMessageText(self, p: dict[str, Any]) -> Any:
        message = self._edited(p)
        if message is not None:
            message["text"] = p.get("text", "")
        return message if message is not None else True

    def _api_editMessageReplyMarkup(self, p: dict[str, Any]) -> Any:
        message = self._edited(p)
        return message if message is not None else True

    def _api_deleteMessage(self, p: dict[str, Any]) -> Any:
        if self._messages.pop((self._chat(p), int(p.get("message_id") or 0)), None) is None:
            raise ApiError(400, "Bad Request: message to delete not found")
        return True


def _utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram entity offsets."""
    return len(text.encode("utf-16-le")) // 2
