"""The season: the coming Spring Festival, status of a measure at a fixed date, and cards that
lead with whether a measure is current (fixed clocks: 2026-11-23, 2027-01-20, 2027-03-15)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest

from intents.reply import entry_card, source_text
from knowledge import Gazetteer, KnowledgeBase
from knowledge.models import FIELDS, Entry
from knowledge.season import coming_season, has_measures, published_keys, status

NOV = dt.date(2026, 11, 23)
JAN = dt.date(2027, 1, 20)
MAR = dt.date(2027, 3, 15)
CLOCKS = (NOV, JAN, MAR)


def test_one_field_definition_matches_the_entry() -> None:
    assert {f.name for f in FIELDS} == set(Entry.field_names())


@pytest.mark.parametrize("today", CLOCKS)
def test_coming_season_is_2027_from_the_lunar_calendar(today: dt.date) -> None:
    season = coming_season(today)
    assert (season.year, season.chuxi, season.chunjie) == (2027, dt.date(2027, 2, 5), dt.date(2027, 2, 6))
    assert season.before_festival(today) == (today != MAR)


def test_after_march_the_next_season_is_coming() -> None:
    assert coming_season(dt.date(2027, 4, 1)).year == 2028


def test_every_shipped_entry_is_marked(shipped_kb: KnowledgeBase) -> None:
    entries = shipped_kb.entries()
    kinds = {e.kind for e in entries}
    assert kinds == {"standing", "seasonal", "historical"}
    for e in entries:
        if e.kind != "standing":
            assert e.season_year() == 2021, e.id
        if e.intent == "epidemic_prevention":
            assert e.kind == "historical", e.id
        assert e.cited_as, e.id
    standing = {e.id for e in entries if e.kind == "standing"}
    assert {"national-overtime-statutory-holiday", "national-wage-arrears-complaint", "national-legal-aid-12348",
            "national-hotline-12333", "furong-overtime-pay", "jinan-unemployment-benefit"} <= standing


@pytest.mark.parametrize("today", CLOCKS)
def test_status_at_fixed_clocks(shipped_kb: KnowledgeBase, today: dt.date) -> None:
    keys = published_keys(shipped_kb.entries())
    kb = {e.id: e for e in shipped_kb.entries()}
    assert status(kb["anqing-yingjiang-subsidy-2000"], today, keys) == "not_yet"
    assert status(kb["national-overtime-statutory-holiday"], today, keys) == "standing"
    assert status(kb["furong-overtime-pay"], today, keys) == "standing"
    assert status(kb["qilin-medium-risk-approval"], today, keys) == "historical"
    assert not has_measures(shipped_kb.entries(), "安徽省安庆市迎江区", today)


def test_a_2027_measure_is_current_then_ended_and_supersedes_the_old_one(shipped_kb: KnowledgeBase) -> None:
    old = shipped_kb.get("anqing-yingjiang-subsidy-2000")
    new = dataclasses.replace(old, id="anqing-yingjiang-subsidy-2027", season=2027, issued=dt.date(2027, 1, 5),
                              valid_from=dt.date(2027, 1, 10), valid_to=dt.date(2027, 2, 28))
    keys = published_keys([*shipped_kb.entries(), new])
    assert status(new, NOV, keys) == "upcoming"
    assert status(new, JAN, keys) == "current"
    assert status(new, MAR, keys) == "ended"
    assert status(old, JAN, keys) == "superseded"
    assert has_measures([new], "安徽省安庆市迎江区", JAN)
    assert not has_measures([new], "安徽省安庆市迎江区", MAR)


# ----------------------------------------------------------------------------------------- cards
def _card(kb: KnowledgeBase, gazetteer: Gazetteer, entry_id: str, today: dt.date) -> str:
    return entry_card(kb.get(entry_id), gazetteer, today).plain()


@pytest.mark.parametrize("today", [NOV, JAN])
def test_old_subsidy_card_leads_with_the_season(shipped_kb: KnowledgeBase, gazetteer: Gazetteer,
                                                today: dt.date) -> None:
    text = _card(shipped_kb, gazetteer, "anqing-yingjiang-subsidy-2000", today)
    lines = text.split("\n")
    assert lines[0] == "【2021年·迎江区留岗职工每人2000元补贴（安庆迎江区）】"
    assert lines[1] == "⚠️ 2027年春节的红包补贴安庆迎江区还没公布（一般在12月到1月公布）。"
    assert lines[2].startswith("现在可以：问用人单位或工会；打 12345") and "12333" in lines[2]
    assert "/subscribe" in lines[2]
    assert lines[3] == "📜 2021年的做法，供参考：每人2000元。"
    assert "金额：" not in text and "\n怎么领：" not in text     # nothing reads like an open offer
    assert "\n当时怎么领：" in text
    assert lines[-1] == "来源：安庆市就业工作领导小组办公室简报，2021年2月"


def test_superseded_and_ended_cards(shipped_kb: KnowledgeBase, gazetteer: Gazetteer) -> None:
    from knowledge import season

    old = shipped_kb.get("anqing-yingjiang-subsidy-2000")
    new = dataclasses.replace(old, id="anqing-yingjiang-subsidy-2027", title="迎江区2027年留岗补贴", season=2027,
                              valid_from=dt.date(2027, 1, 10), valid_to=dt.date(2027, 2, 28))
    try:
        season.remember([*shipped_kb.entries(), new])
        lines = entry_card(old, gazetteer, JAN).plain().split("\n")
        assert lines[1] == ("⚠️ 这是2021年的做法，已经结束。安庆迎江区2027年春节的红包补贴已经公布：迎江区2027年留岗补贴。"
                            "问我“迎江区2027年留岗补贴”看最新的。")
        current = entry_card(new, gazetteer, JAN).plain().split("\n")
        assert current[:2] == ["【迎江区2027年留岗补贴（安庆迎江区）】",
                               "💰 每人2000元｜✅ 2027年春节的措施，现在有效（2027年1月10日至2027年2月28日）。"]
        assert current[2].startswith("怎么领：") and current[3].startswith("联系：") and "12333" in current[3]
        ended = entry_card(new, gazetteer, MAR).plain().split("\n")
        assert ended[:3] == ["【已结束·迎江区2027年留岗补贴（安庆迎江区）】", "⚠️ 这项措施已经在2027年2月28日结束了。",
                             "📜 当时的做法，供参考：每人2000元。"]
    finally:
        season.remember(shipped_kb.entries())


def test_a_seasonal_legal_aid_extra_reminds_that_legal_aid_itself_stands(shipped_kb: KnowledgeBase,
                                                                         gazetteer: Gazetteer) -> None:
    text = _card(shipped_kb, gazetteer, "anqing-legal-aid-means-test-waiver", NOV)
    assert "讨薪的法律援助、劳动仲裁一直可以申请：打 12348" in text and "截至2021年2月28日" in text


def test_after_the_festival_the_card_says_none_found(shipped_kb: KnowledgeBase, gazetteer: Gazetteer) -> None:
    lines = _card(shipped_kb, gazetteer, "anqing-yingjiang-subsidy-2000", MAR).split("\n")
    assert lines[1] == "⚠️ 还没查到安庆迎江区2027年春节的红包补贴新措施。"


@pytest.mark.parametrize("today", CLOCKS)
def test_standing_rights_are_never_marked_ended(shipped_kb: KnowledgeBase, gazetteer: Gazetteer,
                                               today: dt.date) -> None:
    for entry in shipped_kb.entries():
        if entry.kind != "standing":
            continue
        text = entry_card(entry, gazetteer, today).plain()
        second = text.split("\n")[1]
        assert "长期有效" in second, entry.id
        assert "结束" not in text and "还没公布（" not in text, entry.id
    text = _card(shipped_kb, gazetteer, "national-overtime-statutory-holiday", today)
    assert text.split("\n")[1] == "💰 不低于工资的百分之三百（300%）｜✅ 长期有效，现在也适用。"
    local = _card(shipped_kb, gazetteer, "furong-overtime-pay", today)
    assert "百分之三百" in local and "📜 2021年春节长沙芙蓉区另外的做法" in local


@pytest.mark.parametrize("today", CLOCKS)
def test_covid_rules_are_history_not_advice(shipped_kb: KnowledgeBase, gazetteer: Gazetteer,
                                            today: dt.date) -> None:
    for entry in shipped_kb.entries():
        if entry.kind != "historical":
            continue
        card = entry_card(entry, gazetteer, today)
        if entry.intent in ("epidemic_prevention", "travel"):
            assert card.body == "⚠️ 这是2021年疫情期间的防疫规定，现在已经不再执行，不要按它来安排过年和出行。"
        else:
            assert card.body == "⚠️ 这是2021年疫情期间的措施，现在已经不再执行。"
        assert not card.lines
        assert entry.answer not in card.plain()
        for word in ("健康码", "核酸", "非必要", "隔离"):
            assert word not in card.plain().replace(entry.title, ""), (entry.id, word)
    text = _card(shipped_kb, gazetteer, "anqing-daguan-subsidy-1000", today)
    assert "📜 当时的金额：1000元/人（仅供了解）。" in text


def test_an_ended_covid_era_benefit_says_whom_to_ask_now_and_a_rule_does_not(shipped_kb: KnowledgeBase,
                                                                             gazetteer: Gazetteer) -> None:
    text = _card(shipped_kb, gazetteer, "anqing-tongcheng-subsidy-1000", NOV)
    assert "想问现在有没有类似的帮扶，可以问：所在企业；桐城市人力资源和社会保障局；12333人社服务热线。" in text
    assert "可以问" not in _card(shipped_kb, gazetteer, "qilin-medium-risk-approval", NOV)


def test_every_card_keeps_amounts_and_hotlines_and_names_no_file(shipped_kb: KnowledgeBase,
                                                                gazetteer: Gazetteer) -> None:
    for entry in shipped_kb.entries():
        text = entry_card(entry, gazetteer, NOV).plain()
        assert ".txt" not in text, entry.id
        if entry.kind == "historical":
            continue
        if entry.amount:
            assert entry.amount in text, entry.id
        for number in re.findall(r"\d{5,}", entry.answer + entry.contact):
            assert number in text, (entry.id, number)
        if entry.kind == "seasonal":
            assert "2021" in "\n".join(text.split("\n")[1:2]) or "2027" in text.split("\n")[1], entry.id


def test_source_is_named_as_a_person_would(shipped_kb: KnowledgeBase) -> None:
    assert source_text(shipped_kb.get("national-overtime-statutory-holiday")).startswith("《中华人民共和国劳动法》")
    assert source_text(shipped_kb.get("furong-red-600")) == "芙蓉区委办公室、区政府办公室《稳岗工作方案》，2021年"


def test_ask_and_chat_take_today_and_bot_today(tmp_path: Path) -> None:
    from tests.test_cli import run

    db = tmp_path / "bot.db"
    out = run(["ask", "--today", "2027-03-15", "--region", "迎江区", "迎江区留岗补贴2000元怎么领"], db)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[1] == "⚠️ 还没查到安庆迎江区2027年春节的红包补贴新措施。"
    out = run(["ask", "--region", "迎江区", "迎江区留岗补贴2000元怎么领"], db, env={"BOT_TODAY": "2026-11-23"})
    assert "2027年春节的红包补贴安庆迎江区还没公布" in out.stdout.split("\n")[1]
    out = run(["chat", "--today", "2027-01-20", "--region", "迎江区"], db, stdin="迎江区留岗补贴2000元怎么领\n")
    assert "2027年春节的红包补贴安庆迎江区还没公布" in out.stdout
    assert run(["ask", "--today", "tomorrow", "x"], db).returncode == 2


def test_upgrade_keeps_admin_edits_and_takes_the_new_time_fields_from_yaml(db_path: Path,
                                                                          gazetteer: Gazetteer) -> None:
    from knowledge import open_db

    kb = KnowledgeBase(open_db(db_path), gazetteer)
    kb.ensure_loaded()
    kb.update("furong-overtime-pay", {"title": "春节加班工资（管理员改过）"}, "admin:1")
    # as a database from before this change: the new columns empty
    kb.db.execute("UPDATE entries SET season = NULL, kind = 'seasonal', local_note = NULL, cited_as = NULL "
                  "WHERE id = 'furong-overtime-pay'")
    kb.load()
    entry = kb.get("furong-overtime-pay")
    assert entry.title == "春节加班工资（管理员改过）" and entry.kind == "standing" and entry.local_note


def test_no_covid_rule_in_any_current_or_reference_card(shipped_kb: KnowledgeBase, gazetteer: Gazetteer) -> None:
    for entry in shipped_kb.entries():
        if entry.kind == "historical":
            continue
        text = entry_card(entry, gazetteer, NOV).plain()
        for word in ("健康码", "核酸", "非必要", "中高风险", "隔离", "防疫要求"):
            assert word not in text, (entry.id, word)


def test_kb_season_command(tmp_path: Path) -> None:
    from tests.test_cli import run

    out = run(["kb", "season", "--today", "2027-03-15", "--region", "迎江区"], tmp_path / "bot.db")
    assert out.returncode == 0, out.stderr
    assert "即将到来的是2027年春节（除夕 2027-02-05，春节 2027-02-06）" in out.stdout
    assert "2027年措施：还没有" in out.stdout


def test_a_follow_up_on_an_old_covid_era_benefit_is_told_how_it_was_then(shipped_kb: KnowledgeBase,
                                                                        gazetteer: Gazetteer) -> None:
    entry = shipped_kb.get("anqing-tongcheng-subsidy-1000")
    card = entry_card(entry, gazetteer, NOV, "eligibility").plain()
    assert card.split("\n")[1] == "⚠️ 这是2021年疫情期间的措施，现在已经不再执行。"
    assert "📜 当时谁能领（仅供了解）：桐城市规模以上企业中，春节期间留桐过节且户籍为疫情中高风险地区的外地员工" in card
    rule = entry_card(shipped_kb.get("qilin-medium-risk-approval"), gazetteer, NOV, "eligibility").plain()
    assert "当时" not in rule                     # a rule of those days is still never told as advice
