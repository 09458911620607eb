"""Subscribe, then an admin imports this season's measures: subscribers of the region get one
notice through the outbox and the stand-in Bot API, exactly once."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import yaml

from bot.cli_kb import cmd_import
from bot.config import Config
from knowledge import open_db
from tests.botharness import running_bot

DEC = dt.date(2026, 12, 20)


def _measures(path: Path, answer: str = "迎江区给2027年春节留岗的职工每人发2000元补贴。") -> Path:
    entry = {
        "id": "anqing-yingjiang-subsidy-2027", "intent": "red_packet", "region": "安徽省安庆市迎江区",
        "kind": "seasonal", "season": 2027, "title": "迎江区2027年留岗补贴", "answer": answer,
        "amount": "每人2000元", "eligibility": "在迎江区留岗过年的外地职工", "how_to_claim": "由企业统一申报。",
        "contact": "迎江区人社局；12333人社服务热线", "valid_from": "2027-01-10", "valid_to": "2027-02-28",
        "source": "迎江区2027年通知 第一条", "questions": ["迎江区今年留岗补贴多少", "2027迎江补贴怎么领", "迎江过年补贴"],
    }
    path.write_text(yaml.safe_dump({"entries": [entry]}, allow_unicode=True), encoding="utf-8")
    return path


def _import(config: Config, path: Path) -> int:
    return cmd_import(argparse.Namespace(file=path, dry_run=False, delete_missing=False, actor="test"), config)


async def test_subscribers_of_the_region_are_told_once(db_path: Path, tmp_path: Path, capsys) -> None:
    async with running_bot(db_path) as bot:
        for chat, region in ((801, "迎江区"), (802, "安庆市"), (803, "上海"), (804, "迎江区")):
            await bot.say(chat, f"/region {region}")
        for chat in (801, 802, 803):
            [reply] = await bot.say(chat, "/subscribe")
            assert "新措施一公布就告诉你" in reply["text"]
        config = Config(database=db_path, today_override=DEC)
        assert _import(config, _measures(tmp_path / "m.yaml")) == 0
        assert "已排队通知订阅者：1 个地区" in capsys.readouterr().out
        for chat in (801,):
            [notice] = await bot.wait(chat, 3, timeout=10)
            assert "安庆迎江区2027年春节的帮扶措施公布了（1项）" in notice["text"]
            assert "迎江区2027年留岗补贴：每人2000元" in notice["text"]
        # the city-level subscriber is not told about one district; nor Shanghai; nor the unsubscribed
        for chat in (802, 803, 804):
            assert not any("公布了" in m["text"] for m in bot.server.sent_messages(chat))
        # importing again (an edit) queues nothing new
        assert _import(config, _measures(tmp_path / "m2.yaml", answer="迎江区每人2000元，由企业申报。")) == 0
        assert "已排队" not in capsys.readouterr().out
    db = open_db(db_path)
    assert db.execute("SELECT COUNT(*) FROM broadcasts WHERE kind = 'season'").fetchone()[0] == 1
    assert db.execute("SELECT COUNT(*) FROM outbox o JOIN broadcasts b ON b.id = o.broadcast_id "
                      "WHERE b.kind = 'season' AND o.status = 'sent'").fetchone()[0] == 1


def test_unconfirmed_and_old_measures_announce_nothing(db_path: Path, tmp_path: Path, capsys) -> None:
    path = _measures(tmp_path / "m.yaml")
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw["entries"][0]["confirmed"] = "否"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    assert _import(Config(database=db_path, today_override=DEC), path) == 0
    assert "已排队" not in capsys.readouterr().out
    db = open_db(db_path)
    assert db.execute("SELECT COUNT(*) FROM broadcasts").fetchone()[0] == 0


async def test_an_old_measure_offers_to_tell_when_this_years_is_out(db_path: Path) -> None:
    async with running_bot(db_path) as bot:
        [reply] = await bot.say(811, "迎江区留岗补贴2000元怎么领")
        assert "2021年的做法，供参考" in reply["text"]
        buttons = [b for row in reply["reply_markup"]["inline_keyboard"] for b in row]
        [watch] = [b for b in buttons if b["callback_data"].startswith("sw:")]
        assert watch["callback_data"] == "sw:安徽省安庆市迎江区"
        [done] = await bot.tap(811, watch["callback_data"])
        assert "安庆迎江区" in done["text"] and "一公布就告诉你" in done["text"]
        [again] = await bot.say(811, "迎江区留岗补贴2000元怎么领")
        markup = again.get("reply_markup") or {"inline_keyboard": []}
        assert not any(b["callback_data"].startswith("sw:") for row in markup["inline_keyboard"] for b in row)
    row = open_db(db_path).execute("SELECT region, subscribed FROM users WHERE user_id = 811").fetchone()
    assert tuple(row) == ("安徽省安庆市迎江区", 1)


def test_kb_load_of_this_seasons_yaml_announces_once(db_path: Path, tmp_path: Path, capsys) -> None:
    import argparse as ap
    import shutil

    from bot.cli_kb import cmd_load
    from knowledge.gazetteer import DATA_DIR
    from knowledge.users import Users

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    config = Config(database=db_path, today_override=DEC)
    assert cmd_load(ap.Namespace(dir=data, force=False), config) == 0
    assert "已排队" not in capsys.readouterr().out          # 2021 measures announce nothing
    users = Users(open_db(db_path))
    users.set_region(901, "安徽省安庆市迎江区")
    users.set_subscribed(901, True)
    raw = yaml.safe_load(_measures(tmp_path / "m.yaml").read_text(encoding="utf-8"))
    (data / "yingjiang_2027.yaml").write_text(yaml.safe_dump(
        {"source_file": "yingjiang-2027.txt", "cited_as": "迎江区通知", "season": 2027, "issued": "2027-01-05",
         "entries": raw["entries"]}, allow_unicode=True), encoding="utf-8")
    for _ in range(2):
        assert cmd_load(ap.Namespace(dir=data, force=False), config) == 0
    assert capsys.readouterr().out.count("已排队通知订阅者：1 个地区") == 1
    db = open_db(db_path)
    assert db.execute("SELECT COUNT(*) FROM outbox WHERE chat_id = 901").fetchone()[0] == 1
