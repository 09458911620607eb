"""Stations: creation, invites, QR subscription, region scoping of recipients, admins."""

from __future__ import annotations

import datetime as dt

import pytest

from knowledge import KnowledgeBase
from knowledge.errors import NotFound, ValidationError
from knowledge.stations import Stations
from knowledge.users import Users


@pytest.fixture
def stations(sample_kb: KnowledgeBase) -> Stations:
    return Stations(sample_kb.db, sample_kb, frozenset({1}))


def test_create_resolves_region_alias_and_audits(stations: Stations) -> None:
    station = stations.create({"name": "宜秀区暖民稳岗服务站", "region": "宜秀", "phone": "0556-5897061"}, "admin:1")
    assert station.region == "安徽省安庆市宜秀区"
    assert stations.kb.audit_log(str(station.id))[0]["action"] == "add"
    with pytest.raises(ValidationError):
        stations.create({"name": "", "region": "宜秀"}, "admin:1")
    with pytest.raises(NotFound):
        stations.create({"name": "火星站", "region": "火星"}, "admin:1")


def test_invite_is_one_time_and_expires(stations: Stations) -> None:
    station = stations.create({"name": "迎江站", "region": "迎江区"}, "admin:1")
    token = stations.create_invite(station.id, by=1)
    assert stations.accept_invite(token, 500).id == station.id
    assert stations.operator_stations(500)[0].name == "迎江站"
    with pytest.raises(NotFound):
        stations.accept_invite(token, 501)
    old = stations.create_invite(station.id, by=1, now=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    with pytest.raises(NotFound, match="过期"):
        stations.accept_invite(old, 502)
    assert stations.remove_operator(station.id, 500, "admin:1") is True
    assert stations.operator_stations(500) == []


def test_qr_subscription_sets_region(stations: Stations) -> None:
    station = stations.create({"name": "芙蓉站", "region": "芙蓉区"}, "admin:1")
    stations.subscribe(42, station.id)
    user = Users(stations.db).get(42)
    assert (user.region, user.subscribed) == ("湖南省长沙市芙蓉区", True)
    assert stations.subscribers(station.id) == [42]


def test_region_recipients_include_subregions_and_no_one_else(stations: Stations) -> None:
    users = Users(stations.db)
    for uid, region in ((1001, "安徽省安庆市宜秀区"), (1002, "安徽省安庆市"), (1003, "上海市"),
                        (1004, "安徽省安庆市迎江区")):
        users.set_region(uid, region)
        users.set_subscribed(uid, True)
    users.set_region(1005, "安徽省安庆市大观区")          # not subscribed
    users.mark_blocked(1004)                              # blocked
    station = stations.create({"name": "宜秀站", "region": "宜秀区"}, "admin:1")
    stations.subscribe(1006, station.id)
    assert stations.region_recipients("安徽省安庆市") == [1001, 1002, 1006]
    assert stations.region_recipients("安徽省安庆市宜秀区") == [1001, 1006]
    assert stations.region_recipients("上海市") == [1003]


def test_admins_from_config_and_grants(stations: Stations) -> None:
    assert stations.is_admin(1) and not stations.is_admin(2)
    stations.grant_admin(2, by=1)
    assert stations.is_admin(2)
