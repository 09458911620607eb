"""Spring Festival dates, official days off and overtime-pay rules, computed from libraries.

Lunar dates come from ``lunar_python`` (astronomical lunar calendar, any year), the
official 放假调休 arrangements from ``chinese_calendar`` (only the years that package
ships; see :func:`official_arrangement`). Nothing here is a hard-coded date table.

Year convention: ``year`` is always the Gregorian year in which the Spring Festival
falls. Its 正月 belongs to lunar year ``year``; 腊月 (小年, 除夕) belongs to lunar
year ``year - 1``, exactly as ``lunar_python`` numbers lunar years.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import chinese_calendar
from lunar_python import Lunar, LunarMonth, LunarYear, Solar

#: Holiday keys in calendar order.
HOLIDAY_KEYS: tuple[str, ...] = ("xiaonian", "chuxi", "chunjie", "chuwu", "yuanxiao")

#: Plain Chinese name of each holiday key.
HOLIDAY_NAMES: dict[str, str] = {
    "xiaonian": "小年",
    "chuxi": "除夕",
    "chunjie": "春节",
    "chuwu": "初五（迎财神）",
    "yuanxiao": "元宵节",
}

#: 小年 is 腊月二十三 in the north and 腊月二十四 in much of the south.
XIAONIAN_DAYS: tuple[int, ...] = (23, 24)

_SPRING_FESTIVAL = chinese_calendar.Holiday.spring_festival.value  # "Spring Festival"
_ARRANGEMENT_WINDOW = dt.timedelta(days=30)  # official blocks lie within ±11 days of 初一
_WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class Holiday:
    """One traditional Spring Festival date."""

    key: str
    name: str
    date: dt.date


@dataclass(frozen=True)
class Arrangement:
    """The official Spring Festival arrangement of one year, as published by the State Council.

    ``holidays``: every day off in the block (statutory days plus rest days moved by 调休).
    ``adjusted_workdays``: weekend days made working days (调休上班).
    ``statutory_days``: 法定休假日 (300% overtime pay), computed from the lunar rule.
    """

    holidays: tuple[dt.date, ...]
    adjusted_workdays: tuple[dt.date, ...]
    statutory_days: tuple[dt.date, ...]


# --- lunar calendar -------------------------------------------------------------------------


def _to_date(solar: Solar) -> dt.date:
    return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())


@functools.lru_cache(maxsize=512)
def lunar_to_solar(lunar_year: int, month: int, day: int) -> dt.date:
    """Gregorian date of lunar ``lunar_year``/``month``/``day``.

    ``month`` is 1..12; a leap month is negative (lunar_python's convention, e.g. -6 = 闰六月).
    Raises ValueError when the month does not exist in that year or the day is out of range.
    """
    try:
        return _to_date(Lunar.fromYmd(lunar_year, month, day).getSolar())
    except Exception as exc:  # lunar_python raises bare Exception for invalid dates
        raise ValueError(f"invalid lunar date {lunar_year}-{month}-{day}: {exc}") from exc


def _last_month(lunar_year: int) -> LunarMonth:
    """The last month of a lunar year (normally 腊月; a leap 腊月 if one ever occurs)."""
    return LunarYear.fromYear(lunar_year).getMonthsInYear()[-1]


def chuxi(year: int) -> dt.date:
    """除夕 before the Spring Festival of ``year``: the last day of the last lunar month (29th or 30th)."""
    month = _last_month(year - 1)
    return lunar_to_solar(year - 1, month.getMonth(), month.getDayCount())


def layue_days(year: int) -> int:
    """Length (29 or 30) of the 腊月 that ends on the 除夕 before the Spring Festival of ``year``."""
    return _last_month(year - 1).getDayCount()


def _check_xiaonian_day(xiaonian_day: int) -> None:
    if xiaonian_day not in XIAONIAN_DAYS:
        raise ValueError(f"xiaonian_day must be 23 or 24, not {xiaonian_day!r}")


@functools.lru_cache(maxsize=256)
def _holidays(year: int, xiaonian_day: int) -> tuple[Holiday, ...]:
    dates = {
        "xiaonian": lunar_to_solar(year - 1, 12, xiaonian_day),
        "chuxi": chuxi(year),
        "chunjie": lunar_to_solar(year, 1, 1),
        "chuwu": lunar_to_solar(year, 1, 5),
        "yuanxiao": lunar_to_solar(year, 1, 15),
    }
    items = (Holiday(key, HOLIDAY_NAMES[key], dates[key]) for key in HOLIDAY_KEYS)
    return tuple(sorted(items, key=lambda h: h.date))


def spring_festival_holidays(year: int, xiaonian_day: int = 23) -> list[Holiday]:
    """小年, 除夕, 春节, 初五 and 元宵节 around the Spring Festival of Gregorian ``year``, by date.

    ``xiaonian_day`` is 23 (north) or 24 (south); anything else raises ValueError.
    """
    _check_xiaonian_day(xiaonian_day)
    return list(_holidays(year, xiaonian_day))


def holiday(year: int, key: str, xiaonian_day: int = 23) -> dt.date:
    """Date of one holiday (a key of :data:`HOLIDAY_KEYS`); ValueError for an unknown key."""
    if key not in HOLIDAY_NAMES:
        raise ValueError(f"unknown holiday key {key!r}; expected one of {', '.join(HOLIDAY_KEYS)}")
    return next(h.date for h in spring_festival_holidays(year, xiaonian_day) if h.key == key)


# --- statutory days (法定休假日) --------------------------------------------------------------


def statutory_days(year: int) -> tuple[dt.date, ...]:
    """The Spring Festival 法定休假日 of ``year`` (300% overtime pay), from the lunar rule alone.

    Rule by 《全国年节及纪念日放假办法》 (1949, amended 1999, 2007, 2013, 2024):
    - from 2025 (国务院 2024年11月修订): 4 days, 农历除夕、正月初一、初二、初三;
    - 2014-2024 (2013 amendment): 3 days, 正月初一、初二、初三;
    - 2008-2013 (2007 amendment): 3 days, 农历除夕、正月初一、初二;
    - 1950-2007 (1949 办法, kept in 1999): 3 days, 正月初一、初二、初三.
    Years before 1950 raise ValueError (the 办法 did not exist yet).
    """
    if year < 1950:
        raise ValueError(f"no statutory Spring Festival holidays before 1950 (got {year})")
    first = lunar_to_solar(year, 1, 1)
    eve = chuxi(year)
    if year >= 2025:
        days = [eve, *(first + dt.timedelta(days=i) for i in range(3))]
    elif 2008 <= year <= 2013:
        days = [eve, first, first + dt.timedelta(days=1)]
    else:
        days = [first + dt.timedelta(days=i) for i in range(3)]
    return tuple(days)


# --- official arrangement (chinesecalendar) -------------------------------------------------


def _spring_festival_detail(day: dt.date) -> tuple[bool, bool]:
    """(is a Spring Festival day off, is a Spring Festival 调休上班 day) per chinesecalendar."""
    try:
        is_off, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:  # neighbouring year not shipped
        return False, False
    is_sf = name == _SPRING_FESTIVAL
    return is_sf and is_off, is_sf and not is_off


def official_arrangement(year: int) -> Arrangement | None:
    """The official 放假调休 arrangement for the Spring Festival of ``year``, or None if unknown.

    Data comes from chinesecalendar, which only knows the years it ships with.
    """
    first = lunar_to_solar(year, 1, 1)
    try:
        chinese_calendar.get_holiday_detail(first)
    except NotImplementedError:
        return None
    window = chinese_calendar.get_dates(first - _ARRANGEMENT_WINDOW, first + _ARRANGEMENT_WINDOW)
    details = {day: _spring_festival_detail(day) for day in window}
    days_off = tuple(day for day, (off, _) in details.items() if off)
    if not days_off:
        return None
    workdays = tuple(day for day, (_, work) in details.items() if work)
    return Arrangement(holidays=days_off, adjusted_workdays=workdays, statutory_days=statutory_days(year))


# --- plain-Chinese explanation ----------------------------------------------------------------


def _md(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def _md_weekday(day: dt.date) -> str:
    return f"{_md(day)}（星期{_WEEKDAYS[day.weekday()]}）"


def _lunar_label(year: int, day: dt.date) -> str:
    """除夕, 初一, 初二 ... for a day around the Spring Festival of ``year``."""
    if day == chuxi(year):
        return "除夕"
    return Solar.fromYmd(day.year, day.month, day.day).getLunar().getDayInChinese()


def _span(days: tuple[dt.date, ...]) -> str:
    """'2月15日至2月23日' for a contiguous run of days, else the days joined by 、."""
    if (days[-1] - days[0]).days + 1 == len(days):
        return f"{_md(days[0])}至{_md(days[-1])}"
    return "、".join(_md(day) for day in days)


def _statutory_sentence(year: int) -> str:
    days = statutory_days(year)
    first, last = days[0], days[-1]
    return (
        f"{year}年春节法定节假日是{_md(first)}（{_lunar_label(year, first)}）"
        f"至{_md(last)}（{_lunar_label(year, last)}），共{len(days)}天，"
        "这几天加班工资不低于平时工资的300%；"
        "其余放假调休的日子加班，单位不能安排补休的，工资不低于200%。"
    )


def _arrangement_sentence(year: int, arrangement: Arrangement | None) -> str:
    if arrangement is None:
        return (
            f"{year}年春节具体哪天放假、哪天调休上班，官方安排还没有公布或本助手还不知道，"
            "请以国务院办公厅的放假通知为准，也可以问单位或拨打12333咨询。"
        )
    sentence = f"{year}年春节{_span(arrangement.holidays)}放假调休，共{len(arrangement.holidays)}天"
    if arrangement.adjusted_workdays:
        workdays = "、".join(_md_weekday(day) for day in arrangement.adjusted_workdays)
        sentence += f"；{workdays}调休上班，这几天按正常工作日算"
    return sentence + "。"


def describe_overtime(year: int) -> str:
    """Plain Simplified Chinese: which days pay 300%, which 200%, and the 调休 arrangement if known."""
    return _statutory_sentence(year) + _arrangement_sentence(year, official_arrangement(year))
