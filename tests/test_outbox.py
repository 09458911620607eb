"""The outbox: one row per recipient, idempotent creation, crash recovery, blocked users, reports."""

from __future__ import annotations

import datetime as dt

from knowledge import KnowledgeBase, open_db
from knowledge.outbox import Outbox
from knowledge.users import Users


def test_create_is_idempotent_per_origin(sample_kb: KnowledgeBase) -> None:
    outbox = Outbox(sample_kb.db, sample_kb)
    first = outbox.create(sender_id=1, kind="broadcast", scope="上海市", text="hi", recipients=[5, 6, 6], origin="msg:1:9")
    again = outbox.create(sender_id=1, kind="broadcast", scope="上海市", text="hi", recipients=[5, 6], origin="msg:1:9")
    assert first == (first[0], True) and again == (first[0], False)
    assert outbox.counts(first[0]) == {"pending": 2}
    assert sample_kb.audit_log(str(first[0]))[0]["entity"] == "broadcast"


def test_crash_while_sending_resends_and_counts_it_as_possible_duplicate(db_path, sample_kb: KnowledgeBase) -> None:
    outbox = Outbox(sample_kb.db, sample_kb)
    bid, _ = outbox.create(sender_id=1, kind="notice", scope="x", text="t", recipients=[1, 2, 3])
    item = outbox.claim()
    outbox.sent(item)
    in_flight = outbox.claim()            # the process dies here, message maybe handed to Telegram
    sample_kb.db.close()
    reopened = open_db(db_path)
    restarted = Outbox(reopened, KnowledgeBase(reopened, sample_kb.gazetteer))
    assert restarted.recover() == 1
    remaining = []
    while (next_item := restarted.claim()) is not None:
        remaining.append(next_item.chat_id)
        restarted.sent(next_item)
    assert in_flight.chat_id == 2 and remaining == [2, 3]      # not lost: sent again
    assert restarted.counts(bid) == {"sent": 3}
    [report] = restarted.finished_reports()
    assert "成功 3" in report.text() and "可能重复 1" in report.text()


def test_transient_faults_retry_until_the_deadline(sample_kb: KnowledgeBase) -> None:
    outbox = Outbox(sample_kb.db, sample_kb)
    bid, _ = outbox.create(sender_id=5, kind="notice", scope="x", text="t", recipients=[1, 2])
    start = dt.datetime.now(dt.UTC)
    first = outbox.claim()
    assert outbox.retry(first, dt.timedelta(seconds=60), "NetworkError: Bad Gateway", now=start)
    outbox.failed(outbox.claim(), "Bad Request: chat not found")
    [interim] = outbox.finished_reports()          # every row tried; one waits out a backoff
    assert interim.text().startswith("发送进度：共 2 人，成功 0，已屏蔽机器人 0，失败 1（chat not found 1），仍在重试 1")
    assert outbox.finished_reports() == []
    again = outbox.claim(start + dt.timedelta(hours=25))
    assert not outbox.retry(again, dt.timedelta(seconds=60), "NetworkError: Bad Gateway",
                            now=start + dt.timedelta(hours=25))
    [final] = outbox.finished_reports()
    assert final.text().startswith("发送完成：共 2 人，成功 0，已屏蔽机器人 0，失败 2（chat not found 1；重试期限已过 1），"
                                   "仍在重试 0，可能重复 0")
    assert outbox.counts(bid) == {"failed": 2}


def test_blocked_user_is_unsubscribed(sample_kb: KnowledgeBase) -> None:
    users = Users(sample_kb.db)
    users.set_region(9, "上海市")
    users.set_subscribed(9, True)
    outbox = Outbox(sample_kb.db, sample_kb)
    outbox.create(sender_id=None, kind="broadcast", scope="上海市", text="a", recipients=[9])
    outbox.create(sender_id=None, kind="broadcast", scope="上海市", text="b", recipients=[9])
    outbox.blocked(outbox.claim())
    assert outbox.claim() is None
    assert users.get(9).blocked and not users.get(9).subscribed


def test_scheduled_rows_wait_and_retry_backs_off(sample_kb: KnowledgeBase) -> None:
    outbox = Outbox(sample_kb.db, sample_kb)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    outbox.create(sender_id=None, kind="notice", scope="x", text="later", recipients=[1], send_at=later)
    assert outbox.claim() is None
    assert outbox.claim(later + dt.timedelta(seconds=1)).text == "later"
    outbox.create(sender_id=None, kind="notice", scope="x", text="now", recipients=[2])
    item = outbox.claim()
    outbox.retry(item, dt.timedelta(seconds=30), "429")
    assert outbox.claim() is None
    assert outbox.claim(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=31)).chat_id == 2


def test_report_once_when_done(sample_kb: KnowledgeBase) -> None:
    outbox = Outbox(sample_kb.db, sample_kb)
    bid, _ = outbox.create(sender_id=77, kind="broadcast", scope="上海市", text="x", recipients=[1, 2])
    assert outbox.finished_reports() == []
    outbox.sent(outbox.claim())
    outbox.blocked(outbox.claim())
    [report] = outbox.finished_reports()
    assert (report.broadcast_id, report.sender_id, report.total, report.sent, report.blocked) == (bid, 77, 2, 1, 1)
    assert "成功 1" in report.text()
    assert outbox.finished_reports() == []
