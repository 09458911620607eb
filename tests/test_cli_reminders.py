"""`python -m bot reminders ...`: plan --json contract, send-due idempotence, admin edits with audit rows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import time_machine

from bot.cli import main
from knowledge import Gazetteer, KnowledgeBase, open_db
from knowledge.users import Users
from tests.test_reminders import at, load_test_kb

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def db(db_path: Path, sample_dir: Path, gazetteer: Gazetteer, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A database with the sample KB (+ the reminders test entries) and two Shanghai subscribers."""
    kb = load_test_kb(db_path, sample_dir, gazetteer)
    users = Users(kb.db)
    for uid in (1, 2):
        users.set_region(uid, "上海市")
        users.set_subscribed(uid, True)
    kb.db.close()
    monkeypatch.setenv("BOT_DATABASE", str(db_path))
    monkeypatch.setenv("BOT_TIMEZONE", "Asia/Shanghai")
    return db_path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["reminders", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_plan_json_contract(db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "")
    code, out, err = run(capsys, "plan", "--year", "2021", "--json")
    assert code == 0, err
    items = json.loads(out)["reminders"]
    assert all({"date", "time", "kind", "name", "region", "text"} <= set(i) for i in items)
    waiver = [i for i in items if i["kind"] == "deadline" and "讨薪法律援助" in i["text"]]
    assert [(i["date"], i["time"], i["region"]) for i in waiver] == [("2021-02-25", "10:00", "安徽省安庆市")]
    assert {i["region"] for i in items if i["kind"] == "holiday"} == \
        {"上海市", "安徽省安庆市", "安徽省安庆市迎江区", "湖南省长沙市芙蓉区"}     # not 全国


def test_plan_for_one_region(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "plan", "--year", "2027", "--region", "上海", "--json")
    items = {i["name"]: i for i in json.loads(out)["reminders"]}
    assert code == 0
    assert (items["除夕下午提醒"]["date"], items["除夕下午提醒"]["time"]) == ("2027-02-05", "14:00")
    assert items["元宵节问候"]["date"] == "2027-02-20" and items["元宵节问候"]["region"] == "上海市"
    code, out, _ = run(capsys, "plan", "--year", "2027", "--region", "上海")
    assert code == 0 and "除夕快乐" in out


def test_send_due_twice_queues_once(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "send-due", "--now", "2027-01-29T10:05:00+08:00")
    assert code == 0 and "reminder:chuxi-week-before:2027-01-29:上海市: 2 人" in out
    code, out, _ = run(capsys, "send-due", "--now", "2027-01-29T10:06:00")        # local time, no zone
    assert code == 0 and "共放入发送队列 0 条提醒" in out
    db_ = open_db(db)
    assert db_.execute("SELECT COUNT(*) FROM outbox").fetchone()[0] == 2


def test_send_due_uses_the_clock(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with time_machine.travel(at("2027-02-05T14:01:00"), tick=False):
        code, out, _ = run(capsys, "send-due")
    assert code == 0 and "reminder:chuxi-afternoon:2027-02-05:上海市: 2 人" in out


def test_admin_commands_are_audited(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "add", "--region", "上海", "--date", "2027-02-10", "--time", "23:30",
                       "--text", "明天服务站开门")
    assert code == 0 and "custom-1" in out
    plan = json.loads(run(capsys, "plan", "--year", "2027", "--region", "上海市", "--json")[1])["reminders"]
    custom = next(i for i in plan if i["kind"] == "custom")
    assert (custom["date"], custom["time"], custom["text"]) == ("2027-02-11", "08:00", "明天服务站开门")

    assert run(capsys, "edit", "yuanxiao-greeting", "--text", "{region}元宵节快乐", "--time", "11:00")[0] == 0
    plan = json.loads(run(capsys, "plan", "--year", "2027", "--region", "上海市", "--json")[1])["reminders"]
    assert next(i for i in plan if i["name"] == "元宵节问候")["text"] == "上海元宵节快乐"
    assert run(capsys, "cancel", "custom-1")[0] == 0
    code, out, _ = run(capsys, "list")
    assert code == 0 and "custom-1" in out and "已取消" in out and "deadline" in out

    kb = KnowledgeBase(open_db(db))
    actions = [(r["action"], r["entity_id"]) for r in kb.audit_log() if r["entity"] == "reminder"]
    assert actions == [("cancel", "custom-1"), ("update", "yuanxiao-greeting"), ("add", "custom-1")]
    assert all(r["actor"] == "cli" for r in kb.audit_log() if r["entity"] == "reminder")


def test_errors_are_one_clear_line(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "edit", "chuxi-afternoon", "--time", "25:00")
    assert code == 1 and "HH:MM" in err
    code, _, err = run(capsys, "cancel", "no-such-key")
    assert code == 1 and "没有这个提醒" in err
    with pytest.raises(SystemExit):
        run(capsys, "add", "--region", "上海", "--date", "2027-2-1", "--time", "10:00", "--text", "x")
    assert "YYYY-MM-DD" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["plan", "send-due", "list", "edit", "add", "cancel"])
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["reminders", command, "--help"])
    assert exit_.value.code == 0 and "usage:" in capsys.readouterr().out
