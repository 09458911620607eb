"""Spring Festival calendar: literal known dates, the statutory-day rule and official arrangements."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest

from scheduler.holidays import (
    HOLIDAY_KEYS,
    Arrangement,
    Holiday,
    chuxi,
    describe_overtime,
    holiday,
    layue_days,
    lunar_to_solar,
    official_arrangement,
    spring_festival_holidays,
    statutory_days,
)

D = dt.date
_KNOWN_YEARS = {day.year for day in chinese_calendar.holidays}


def needs_official(year: int):
    return pytest.mark.skipif(year not in _KNOWN_YEARS, reason=f"chinesecalendar has no data for {year}")


@pytest.mark.parametrize(
    ("year", "key", "expected"),
    [
        (2027, "chuxi", D(2027, 2, 5)),
        (2027, "chunjie", D(2027, 2, 6)),
        (2027, "yuanxiao", D(2027, 2, 20)),
        (2026, "chunjie", D(2026, 2, 17)),
        (2026, "chuxi", D(2026, 2, 16)),
        (2026, "yuanxiao", D(2026, 3, 3)),
        (2025, "chunjie", D(2025, 1, 29)),
        (2025, "chuxi", D(2025, 1, 28)),
        (2021, "chunjie", D(2021, 2, 12)),
        (2021, "chuxi", D(2021, 2, 11)),
        (2021, "xiaonian", D(2021, 2, 4)),
        (2021, "chuwu", D(2021, 2, 16)),
        (2021, "yuanxiao", D(2021, 2, 26)),
        (2024, "chuxi", D(2024, 2, 9)),
        (2024, "chunjie", D(2024, 2, 10)),
    ],
)
def test_known_dates(year: int, key: str, expected: dt.date) -> None:
    assert holiday(year, key) == expected


def test_xiaonian_north_and_south_2021() -> None:
    assert holiday(2021, "xiaonian", xiaonian_day=23) == D(2021, 2, 4)
    assert holiday(2021, "xiaonian", xiaonian_day=24) == D(2021, 2, 5)


@pytest.mark.parametrize("bad_day", [22, 25, 30])
def test_xiaonian_day_must_be_23_or_24(bad_day: int) -> None:
    with pytest.raises(ValueError):
        spring_festival_holidays(2027, xiaonian_day=bad_day)
    with pytest.raises(ValueError):
        holiday(2027, "xiaonian", xiaonian_day=bad_day)


def test_unknown_key() -> None:
    with pytest.raises(ValueError):
        holiday(2027, "qingming")


def test_holidays_sorted_with_chinese_names() -> None:
    result = spring_festival_holidays(2027)
    assert [h.key for h in result] == list(HOLIDAY_KEYS)
    assert [h.name for h in result] == ["小年", "除夕", "春节", "初五（迎财神）", "元宵节"]
    assert result == sorted(result, key=lambda h: h.date)
    assert result[1] == Holiday("chuxi", "除夕", D(2027, 2, 5))


def test_returned_list_is_a_copy() -> None:
    spring_festival_holidays(2027).clear()
    assert len(spring_festival_holidays(2027)) == 5


def test_layue_length_from_library() -> None:
    # 2024's 除夕 (2024-02-09) was 腊月三十: the 腊月 of 癸卯年 had 30 days.
    assert layue_days(2024) == 30
    assert lunar_to_solar(2023, 12, 30) == D(2024, 2, 9)
    # 2025-2027 have a 29-day 腊月: 除夕 is 腊月二十九 and there is no 腊月三十.
    for year in (2025, 2026, 2027):
        assert layue_days(year) == 29
    assert lunar_to_solar(2024, 12, 29) == D(2025, 1, 28)
    with pytest.raises(ValueError):
        lunar_to_solar(2024, 12, 30)


def test_chuxi_is_always_the_eve_of_chunjie() -> None:
    for year in range(1950, 2101):
        assert chuxi(year) + dt.timedelta(days=1) == lunar_to_solar(year, 1, 1), year


def test_lunar_to_solar_rejects_bad_month() -> None:
    with pytest.raises(ValueError):
        lunar_to_solar(2027, 13, 1)


def test_statutory_days_2025_four_days_from_chuxi() -> None:
    assert statutory_days(2025) == (D(2025, 1, 28), D(2025, 1, 29), D(2025, 1, 30), D(2025, 1, 31))


def test_statutory_days_2024_three_days_from_chunjie() -> None:
    assert statutory_days(2024) == (D(2024, 2, 10), D(2024, 2, 11), D(2024, 2, 12))


def test_statutory_days_2008_to_2013_rule() -> None:
    assert statutory_days(2013) == (D(2013, 2, 9), D(2013, 2, 10), D(2013, 2, 11))


def test_statutory_days_future_year_uses_lunar_rule() -> None:
    assert statutory_days(2027) == (D(2027, 2, 5), D(2027, 2, 6), D(2027, 2, 7), D(2027, 2, 8))
    assert len(statutory_days(2100)) == 4


def test_statutory_days_before_1950() -> None:
    with pytest.raises(ValueError):
        statutory_days(1949)


@needs_official(2025)
def test_official_arrangement_2025() -> None:
    arrangement = official_arrangement(2025)
    assert isinstance(arrangement, Arrangement)
    assert arrangement.holidays == tuple(D(2025, 1, 28) + dt.timedelta(days=i) for i in range(8))
    assert arrangement.adjusted_workdays == (D(2025, 1, 26), D(2025, 2, 8))
    assert arrangement.statutory_days == statutory_days(2025)


@needs_official(2026)
def test_official_arrangement_2026() -> None:
    arrangement = official_arrangement(2026)
    assert arrangement is not None
    assert arrangement.holidays == tuple(D(2026, 2, 15) + dt.timedelta(days=i) for i in range(9))
    assert arrangement.adjusted_workdays == (D(2026, 2, 14), D(2026, 2, 28))


@needs_official(2024)
def test_official_arrangement_2024_chuxi_was_not_a_day_off() -> None:
    arrangement = official_arrangement(2024)
    assert arrangement is not None
    assert arrangement.holidays[0] == D(2024, 2, 10)
    assert arrangement.holidays[-1] == D(2024, 2, 17)
    assert arrangement.adjusted_workdays == (D(2024, 2, 4), D(2024, 2, 18))


def test_statutory_days_fall_inside_every_known_block() -> None:
    for year in sorted(_KNOWN_YEARS):
        arrangement = official_arrangement(year)
        assert arrangement is not None, year
        assert set(arrangement.statutory_days) <= set(arrangement.holidays), year
        assert all(day.weekday() >= 5 for day in arrangement.adjusted_workdays), year


def test_unknown_far_future_year() -> None:
    assert official_arrangement(2100) is None


def test_describe_overtime_2027() -> None:
    text = describe_overtime(2027)
    assert text.startswith("2027年春节法定节假日是2月5日（除夕）至2月8日（初三）")
    assert "300%" in text and "200%" in text


def test_describe_overtime_2024_starts_on_chunjie() -> None:
    assert describe_overtime(2024).startswith("2024年春节法定节假日是2月10日（初一）至2月12日（初三）")


@needs_official(2025)
def test_describe_overtime_known_arrangement() -> None:
    text = describe_overtime(2025)
    assert "1月28日至2月4日放假调休，共8天" in text
    assert "1月26日（星期日）、2月8日（星期六）调休上班" in text


def test_describe_overtime_unknown_arrangement() -> None:
    text = describe_overtime(2100)
    assert "12333" in text and "还没有公布" in text
