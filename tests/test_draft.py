"""`kb draft` and `kb rollover`: notices into reviewed-later drafts; nothing unconfirmed reaches workers."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

import pytest

from bot.cli_kb import cmd_draft, cmd_import, cmd_rollover
from bot.config import Config
from intents import Matcher
from knowledge import Gazetteer, KnowledgeBase
from knowledge.draft import draft_notice, extract_amounts, extract_dates, extract_phones, score, split_items

SEEDS = Path("/work/shared/seeds")
SEED_REGIONS = {
    "000_7cbf7fbbcbf816b6.txt": "福建省福州市晋安区",
    "001_9d88c35ee852e4e4.txt": "湖南省长沙市芙蓉区",
    "002_60bd64d57be0b4f7.txt": "云南省曲靖市麒麟区",
    "003_609b574e90775410.txt": "上海市",
    "004_d6351ebb26b60c94.txt": "安徽省安庆市",
}
NOTICE = """关于做好2027年春节服务保障工作的通知（2026年12月20日）
一、发放留岗补贴
对春节期间在岗的外地职工，每人发放两千元留岗补贴，1月31日前由企业统一申报。（责任单位：区人社局）
二、免费流量
（一）为留区过年人员赠送20G本地流量，至元宵节。
（二）有疑问拨打12345或0556-5551234咨询。
"""


def test_split_and_extract_on_a_small_notice() -> None:
    items = split_items(NOTICE)
    assert [i.number for i in items] == ["一、", "二、", "（一）", "（二）"]
    assert extract_amounts(items[0].text) == ["2000元"]       # Chinese numerals through cn2an
    assert extract_phones(items[3].text) == ["12345", "0556-5551234"]
    start, end, _ = extract_dates(items[0].text, 2027, dt.date(2026, 12, 20))
    assert end == dt.date(2027, 1, 31)
    _, end, notes = extract_dates(items[2].text, 2027, dt.date(2026, 12, 20))
    assert end == dt.date(2027, 2, 20) and notes            # 元宵节 2027, from the lunar calendar
    assert "百分之三百（300%）" in extract_amounts("不低于工资的百分之三百")


def test_draft_cli_prints_the_export_format(shipped_kb: KnowledgeBase, tmp_path: Path, capsys) -> None:
    notice = tmp_path / "notice.txt"
    notice.write_text(NOTICE, encoding="utf-8")
    config = Config(database=tmp_path / "d.db", today_override=dt.date(2026, 11, 23))
    args = argparse.Namespace(notice=notice, region="迎江区", season=None, name="迎江区2027年通知", json=True,
                              yaml=None, xlsx=None)
    assert cmd_draft(args, config) == 0
    data = json.loads(capsys.readouterr().out)
    first = data["entries"][0]
    assert first["region"] == "安徽省安庆市迎江区" and first["season"] == 2027 and first["confirmed"] is False
    assert "2000元" in first["amount"] and first["valid_to"] == "2027-01-31" and "区人社局" in first["contact"]
    assert len(first["questions"]) >= 3 and first["review"]
    assert first["intent"] == "red_packet"
    # the YAML draft imports, unconfirmed: staff see it, workers do not
    out = tmp_path / "draft.yaml"
    assert cmd_draft(argparse.Namespace(**(vars(args) | {"json": False, "yaml": out})), config) == 0
    imp = argparse.Namespace(file=out, dry_run=False, delete_missing=False, actor="t")
    assert cmd_import(imp, config) == 0
    capsys.readouterr()


def test_rollover_is_an_unconfirmed_draft_that_never_reaches_workers(db_path: Path, tmp_path: Path,
                                                                    capsys) -> None:
    config = Config(database=db_path, today_override=dt.date(2026, 11, 23))
    out = tmp_path / "roll.yaml"
    args = argparse.Namespace(region="迎江区", to_season=2027, json=False, yaml=out, xlsx=None)
    assert cmd_rollover(args, config) == 0
    text = out.read_text(encoding="utf-8")
    assert "anqing-yingjiang-subsidy-2000-2027" in text and "valid_to" not in text and "confirmed: false" in text
    assert cmd_import(argparse.Namespace(file=out, dry_run=False, delete_missing=False, actor="t"), config) == 0
    from bot.cli_kb import open_kb

    kb = open_kb(config)
    assert kb.get("anqing-yingjiang-subsidy-2000-2027").confirmed is False
    assert "anqing-yingjiang-subsidy-2000-2027" not in {e.id for e in kb.entries()}
    result = Matcher(kb).match("迎江区留岗补贴怎么领", "安徽省安庆市迎江区")
    assert result.entry is not None and not result.entry.id.endswith("-2027")


@pytest.mark.parametrize("seed", sorted(SEED_REGIONS))
def test_draft_recovers_most_amounts_and_hotlines_of_each_seed(seed: str, shipped_kb: KnowledgeBase,
                                                              matcher: Matcher, gazetteer: Gazetteer) -> None:
    if not (SEEDS / seed).exists():
        pytest.skip("seed notices not available")
    drafts = draft_notice((SEEDS / seed).read_text(encoding="utf-8"), SEED_REGIONS[seed], gazetteer,
                          lambda t: matcher.match(t).intent, 2021, seed)
    result = score(seed, drafts, [e for e in shipped_kb.entries() if e.source.split()[0] == seed])
    assert result.amounts_found + result.hotlines_found >= 0.8 * (result.amounts + result.hotlines)
    assert result.found >= 0.6 * result.measures
    for draft in drafts:                           # every draft is importable as it stands
        entry = shipped_kb.validate(draft.entry.to_dict())
        assert entry.confirmed is False and draft.review
