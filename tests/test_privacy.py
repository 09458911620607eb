"""Privacy: personal numbers never logged, /forget leaves nothing in the database files, retention."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from knowledge import KnowledgeBase, open_db
from knowledge.outbox import Outbox
from knowledge.privacy import mask_personal_numbers
from knowledge.users import Users
from tests.botharness import running_bot

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


@pytest.mark.parametrize(("text", "masked"), [
    ("我叫张三，电话13912345678，工资没发", "我叫张三，电话[手机号]，工资没发"),
    ("电话 139 1234 5678 或 +86-139-1234-5678", "电话 [手机号] 或 [手机号]"),
    ("身份证34080219900101123X", "身份证[身份证号]"),
    ("工资卡 6222 0212 3456 7890 123 没到账", "工资卡 [银行卡号] 没到账"),
    ("单位座机0556-5897061", "单位座机[电话]"),
    ("全角１３９１２３４５６７８", "全角[手机号]"),
    ("上海留岗红包600元，2021-01-20前，打12345", "上海留岗红包600元，2021-01-20前，打12345"),
])
def test_personal_numbers_are_masked(text: str, masked: str) -> None:
    assert mask_personal_numbers(text) == masked


async def test_forget_leaves_no_question_or_notice_in_the_database_files(db_path: Path) -> None:
    worker = 4242
    async with running_bot(db_path) as bot:
        await bot.say(worker, "/region 上海")
        await bot.say(worker, "我叫王小明，电话13912345678，老板欠薪怎么办")
        svc = bot.app.bot_data["services"]
        svc.users.set_subscribed(worker, True)
        bid, _ = svc.outbox.create(sender_id=None, kind="broadcast", scope="上海市", text="春节通知",
                                   recipients=[worker, 4343])
        assert svc.db.execute("SELECT text FROM question_log WHERE user_id = ?", [worker]).fetchall()[-1][0] == \
            "我叫王小明，电话[手机号]，老板欠薪怎么办"
        await bot.say(worker, "/forget")
        [done] = await bot.tap(worker, "fg:yes")
        assert done["text"] == "已删除，你的提问记录也一起删了。想再用随时发 /start。"
        assert svc.db.execute("SELECT COUNT(*) FROM question_log WHERE text LIKE '%王小明%'").fetchone()[0] == 0
        assert [tuple(r) for r in svc.db.execute("SELECT chat_id FROM outbox WHERE broadcast_id = ?", [bid])] in (
            [(4343,)],)
        assert svc.db.execute("SELECT total FROM broadcasts WHERE id = ?", [bid]).fetchone()[0] == 1
    raw = b"".join(p.read_bytes() for p in db_path.parent.glob(db_path.name + "*") if p.is_file())
    assert "王小明".encode() not in raw and b"13912345678" not in raw


def test_logged_questions_expire_after_the_retention(sample_kb: KnowledgeBase) -> None:
    users = Users(sample_kb.db)
    users.log_question(1, "旧问题", "red_envelope", None, 90.0, False, None)
    users.log_question(2, "新问题", "red_envelope", None, 90.0, False, None)
    sample_kb.db.execute("UPDATE question_log SET at = '2020-01-01T00:00:00+00:00' WHERE text = '旧问题'")
    assert users.expire_questions(180) == 1
    assert [r[0] for r in sample_kb.db.execute("SELECT text FROM question_log")] == ["新问题"]
    assert users.expire_questions(180, now=dt.datetime.now(dt.UTC) + dt.timedelta(days=181)) == 1


def test_outbox_unaffected_rows_report_stays_exact(db_path: Path) -> None:
    db = open_db(db_path)
    kb = KnowledgeBase(db)
    outbox = Outbox(db, kb)
    outbox.create(sender_id=7, kind="broadcast", scope="x", text="t", recipients=[1, 2])
    Users(db).forget(2)
    outbox.sent(outbox.claim())
    [report] = outbox.finished_reports()
    assert report.text().startswith("发送完成：共 1 人，成功 1，")
