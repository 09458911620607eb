"""Property-based fuzzing (hypothesis) of what workers can type: the matcher and the reply
never fail, and `ask --jsonl` answers every line, bad ones with an error object."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.cli import main
from intents import Matcher
from intents.conversation import State, turn
from intents.matcher import KINDS
from intents.reply import reply_text

WORDS = ["红包", "流量", "体检", "加班费", "欠薪", "年夜饭", "安庆", "迎江区", "宜昌", "怎么领", "电话多少", "那桐城呢",
         "pay", "ot", "咋个整", "冇", "<b>", "'; DROP TABLE users;--", "🧧", "１２３４５", "過年", "\x00", "\u200b"]
texts = st.one_of(st.text(max_size=200), st.lists(st.sampled_from(WORDS), max_size=12).map("".join))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=texts, second=texts, region=st.sampled_from([None, "安徽省安庆市迎江区", "湖北省宜昌市", "火星"]))
def test_any_two_turns_get_an_answer_of_a_known_kind(matcher: Matcher, first: str, second: str,
                                                     region: str | None) -> None:
    state = State()
    for text in (first, second):
        result, state = turn(matcher, state, text, region)
        assert result.kind in KINDS
        assert result.fallback == (result.entry is None and result.kind not in ("greeting", "overview", "ask_region",
                                                                               "no_local"))
        assert reply_text(result, matcher.gazetteer, dt.date(2026, 11, 23)).strip()


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                           max_leaves=10)
lines = st.one_of(
    texts.map(lambda t: t.replace("\n", " ").replace("\r", " ").encode("utf-8", "surrogatepass")),
    st.dictionaries(st.sampled_from(["text", "region", "previous", "context", "reset", "x"]), json_values, max_size=4)
    .map(lambda d: json.dumps(d, ensure_ascii=False).encode()),
    st.binary(max_size=40).map(lambda b: b.replace(b"\n", b" ").replace(b"\r", b" ")),
    st.just(b"[" * 1000 + b"]" * 1000), st.just(b'{"text": ' + b"9" * 5000 + b"}"))


@pytest.fixture
def jsonl_db(tmp_path, monkeypatch):
    monkeypatch.setenv("BOT_DATABASE", str(tmp_path / "bot.db"))
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "")
    return tmp_path


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.lists(lines, min_size=1, max_size=15))
def test_ask_jsonl_answers_every_line(jsonl_db, monkeypatch, capsys, batch: list[bytes]) -> None:
    batch = [line for line in batch if line.strip()]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"\n".join(batch) + b"\n")))
    assert main(["ask", "--jsonl"]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    expected = [line for line in batch if line.decode("utf-8", "replace").strip()]
    assert len(out) == len(expected)
    assert all(("error" in row) != ("intent" in row) for row in out)


COURTESIES = ["你好，{}", "您好！{}", "请问{}", "我想问一下 {}", "麻烦问下{}", "那个，{}", "{} 谢谢", "{}谢谢了", "{}？", "{}🙏"]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_hello_please_or_thanks_never_changes_what_a_question_asks(matcher: Matcher, data) -> None:
    entry = data.draw(st.sampled_from(sorted((e for e in matcher.index.entries.values() if e.questions),
                                             key=lambda e: e.id)))
    question = data.draw(st.sampled_from(entry.questions))
    courtesy = data.draw(st.sampled_from(COURTESIES))
    region = None if entry.region == "全国" else entry.region
    plain, wrapped = matcher.match(question, region), matcher.match(courtesy.format(question), region)
    assert (wrapped.kind, wrapped.intent) == (plain.kind, plain.intent)
