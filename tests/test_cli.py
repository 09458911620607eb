"""The command line: ask --json/--jsonl contract, terminal chat, kb commands and their errors."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main

ROOT = Path(__file__).resolve().parent.parent


def run(args: list[str], db: Path, stdin: str = "", env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`python -m bot ARGS` in process: main(argv) with its environment, stdin and output captured
    (like sqlite-utils' CliRunner); no interpreter start per call."""
    full_env = {**os.environ, "BOT_DATABASE": str(db), "TELEGRAM_BOT_TOKEN": "",
                "NUANXIN_CACHE_DIR": str(ROOT / ".cache"), **(env or {})}
    out, err = io.StringIO(), io.StringIO()
    saved_env, saved_stdin, saved_cwd = dict(os.environ), sys.stdin, os.getcwd()
    os.environ.clear()
    os.environ.update(full_env)
    sys.stdin = io.StringIO(stdin)
    os.chdir(ROOT)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(args)
            except SystemExit as exc:           # argparse errors and --help
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    finally:
        os.environ.clear()
        os.environ.update(saved_env)
        sys.stdin = saved_stdin
        os.chdir(saved_cwd)
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cli") / "bot.db"


def test_ask_json_contract(db: Path) -> None:
    out = run(["ask", "--json", "--region", "上海", "话费补贴怎么领"], db)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) >= {"intent", "entry_id", "title", "score", "fallback", "region", "answer", "candidates",
                         "latency_ms"}
    assert (data["intent"], data["region"], data["fallback"]) == ("data_bundle", "上海市", False)
    assert data["entry_id"] == "shanghai-phone-subsidy" and "12345" in data["answer"]
    assert all(set(c) == {"entry_id", "title", "intent", "score"} for c in data["candidates"])


def test_ask_jsonl_keeps_order_and_follow_up(db: Path) -> None:
    lines = ["上海话费补贴", "怎么领？", json.dumps({"text": "今天天气怎么样"}, ensure_ascii=False),
             json.dumps({"text": "超市开门吗", "region": "麒麟区"}, ensure_ascii=False), "谢谢"]
    out = run(["ask", "--jsonl"], db, stdin="\n".join(lines) + "\n")
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["intent"] for r in rows] == ["data_bundle", "data_bundle", "out_of_scope", "prices_supplies",
                                            "greeting"]
    assert rows[1]["entry_id"] == rows[0]["entry_id"]
    assert rows[2]["fallback"] is True and rows[3]["region"] == "云南省曲靖市麒麟区"


def test_terminal_chat_keeps_region(db: Path) -> None:
    out = run([], db, stdin="/region 上海\n话费补贴多少\n/nosuch\n/quit\n")
    assert out.returncode == 0
    assert "地区已设为上海" in out.stdout and "通讯费" in out.stdout and "没有这个命令" in out.stdout


def test_kb_export_json_and_stats(db: Path) -> None:
    out = run(["kb", "export", "--json"], db)
    entries = json.loads(out.stdout)["entries"]
    assert {"id", "intent", "region", "title", "answer", "amount", "eligibility", "how_to_claim", "contact",
            "valid_from", "valid_to", "source", "questions"} <= set(entries[0])
    assert len({e["id"] for e in entries}) == len(entries)
    assert run(["kb", "stats"], db).returncode == 0


def test_kb_validate_reports_bad_file(tmp_path: Path, db: Path) -> None:
    bad = tmp_path / "kb"
    bad.mkdir()
    (bad / "broken.yaml").write_text("entries:\n  - id: x\n    intent: weather\n", encoding="utf-8")
    out = run(["kb", "validate", "--dir", str(bad)], db)
    assert out.returncode == 1 and "broken.yaml" in out.stderr
    load = run(["kb", "load", "--dir", str(bad)], db)
    assert load.returncode == 1 and "数据库没有改动" in load.stderr


def test_reminders_plan_json_and_send_due(db: Path) -> None:
    out = run(["reminders", "plan", "--year", "2027", "--region", "上海", "--json"], db)
    items = json.loads(out.stdout)["reminders"]
    assert {"date", "time", "kind", "name", "region", "text"} <= set(items[0])
    assert ("2027-02-05", "14:00", "holiday", "上海市") in [(i["date"], i["time"], i["kind"], i["region"]) for i in items]
    first = run(["reminders", "send-due", "--now", "2027-02-05T14:30:00+08:00"], db)
    assert first.returncode == 0 and "共放入发送队列" in first.stdout


def test_eval_without_labelled_sets_says_what_to_do(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import bot.cli_ask

    monkeypatch.setattr(bot.cli_ask, "default_files", lambda: [])     # as in an installed package
    out = run(["eval"], db)
    assert out.returncode == 1
    assert "没有找到标注集" in out.stderr and "python -m bot eval 标注集.jsonl" in out.stderr


def test_eval_robust_says_how_often_a_right_answer_stays_right_typed_another_way(db: Path, tmp_path: Path) -> None:
    labelled = tmp_path / "one.jsonl"
    turns = [{"text": "留在长沙过年有红包吗", "intent": "red_packet", "expect_region": "湖南省长沙市芙蓉区", "kind": "measure"},
             {"text": "找哪个", "intent": "red_packet", "kind": "followup", "aspect": "contact"}]
    labelled.write_text(json.dumps({"id": "c1", "region": "湖南省长沙市芙蓉区", "turns": turns}, ensure_ascii=False) + "\n",
                        encoding="utf-8")
    out = run(["eval", "--robust", str(labelled)], db)
    assert out.returncode == 0, out.stderr
    assert "换一种打法（同一轮，答对的再问一遍）:" in out.stdout
    assert "你好，…         100.0%（2/2）" in out.stdout and "繁体           100.0%（2/2）" in out.stdout
    data = json.loads(run(["eval", "--robust", "--json", str(labelled)], db).stdout)
    assert data["robustness"]["… 谢谢"] == {"tried": 2, "kept": 2, "share": 1.0}
