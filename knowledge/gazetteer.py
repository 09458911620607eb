"""Region gazetteer: hierarchy, aliases and 小年 custom of every region the bot knows."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml

from knowledge.errors import NotFound, ValidationError

DATA_DIR = Path(__file__).parent / "data"
REGIONS_FILE = DATA_DIR / "regions.yaml"
ROOT = "全国"


@dataclass(frozen=True)
class Region:
    """One region: full hierarchical name, display name, parent, aliases, 小年 day."""

    name: str
    short: str
    parent: str | None
    aliases: tuple[str, ...]
    xiaonian: int
    coords: tuple[float, float] | None = None


class Gazetteer:
    """All regions, with lookups by name or alias and detection in free text."""

    def __init__(self, regions: list[Region]) -> None:
        self.regions: dict[str, Region] = {r.name: r for r in regions}
        lookup: dict[str, str] = {}
        for region in regions:
            for key in (region.name, region.short, *region.aliases):
                lookup.setdefault(key, region.name)
        self._lookup = lookup

    # ------------------------------------------------------------------ loading
    @classmethod
    def from_yaml(cls, path: str | Path = REGIONS_FILE) -> Gazetteer:
        """Read and check the gazetteer file; ValidationError names the problem."""
        path = Path(path)
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise ValidationError(f"YAML 格式错误: {exc}", file=path.name) from exc
        items = (raw or {}).get("regions") if isinstance(raw, dict) else None
        if not isinstance(items, list):
            raise ValidationError("缺少 regions 列表", file=path.name)
        by_name: dict[str, dict] = {}
        for item in items:
            if not isinstance(item, dict) or not item.get("name"):
                raise ValidationError("每个地区都要有 name", file=path.name)
            if item["name"] in by_name:
                raise ValidationError("地区重复", file=path.name, entry=item["name"])
            by_name[item["name"]] = item
        coords = raw.get("coordinates") or {}
        for name in coords:
            if name not in by_name:
                raise ValidationError("坐标里的地区不存在", file=path.name, entry=name, field="coordinates")
        regions = []
        for name, item in by_name.items():
            parent = item.get("parent")
            if parent is not None and parent not in by_name:
                raise ValidationError(f"上级地区 {parent} 不存在", file=path.name, entry=name, field="parent")
            day = cls._xiaonian(name, by_name)
            if day not in (23, 24):
                raise ValidationError("xiaonian 只能是 23 或 24", file=path.name, entry=name, field="xiaonian")
            regions.append(Region(name=name, short=item.get("short") or name, parent=parent,
                                  aliases=tuple(item.get("aliases") or ()), xiaonian=day,
                                  coords=tuple(coords[name]) if name in coords else None))
        return cls(regions)

    @staticmethod
    def _xiaonian(name: str, by_name: dict[str, dict]) -> int:
        seen = set()
        current: str | None = name
        while current and current not in seen:
            seen.add(current)
            if by_name[current].get("xiaonian") is not None:
                return int(by_name[current]["xiaonian"])
            current = by_name[current].get("parent")
        return 23

    # ------------------------------------------------------------------ lookups
    def __contains__(self, name: object) -> bool:
        return name in self.regions

    def get(self, name: str) -> Region:
        """The region with this full name; NotFound otherwise."""
        try:
            return self.regions[name]
        except KeyError:
            raise NotFound(f"没有这个地区: {name}") from None

    def ancestors(self, name: str) -> list[str]:
        """The region and its parents up to 全国, most specific first."""
        chain = []
        current: str | None = name
        while current and current in self.regions and current not in chain:
            chain.append(current)
            current = self.regions[current].parent
        return chain

    def descendants(self, name: str) -> set[str]:
        """The region and every region below it."""
        result = {name}
        changed = True
        while changed:
            changed = False
            for region in self.regions.values():
                if region.parent in result and region.name not in result:
                    result.add(region.name)
                    changed = True
        return result

    def children(self, name: str | None) -> list[Region]:
        """Direct sub-regions (of 全国 when name is None), in file order."""
        parent = name or ROOT
        return [r for r in self.regions.values() if r.parent == parent]

    def depth(self, name: str) -> int:
        """0 for 全国, 1 for a province, and so on."""
        return len(self.ancestors(name)) - 1

    def short(self, name: str | None) -> str:
        """Display name of a region (or the name itself if unknown)."""
        if name is None:
            return ""
        region = self.regions.get(name)
        return region.short if region else name

    def nearest(self, lat: float, lon: float, max_km: float = 60.0) -> Region | None:
        """The region whose centre is nearest to a point, within `max_km`."""
        best, best_km = None, max_km
        for region in self.regions.values():
            if region.coords is None:
                continue
            km = haversine_km(lat, lon, *region.coords)
            if km <= best_km:
                best, best_km = region, km
        return best

    # ---------------------------------------------------------------- detection
    @cached_property
    def _pattern(self) -> re.Pattern[str]:
        keys = sorted(self._lookup, key=len, reverse=True)
        return re.compile("|".join(re.escape(k) for k in keys if k))

    def find_all(self, text: str) -> list[tuple[Region, int, int]]:
        """Every region alias in the text (longest match first), with its span."""
        return [(self.regions[self._lookup[m.group(0)]], m.start(), m.end())
                for m in self._pattern.finditer(text)]

    def detect(self, text: str) -> Region | None:
        """The most specific region named in the text, or None.

        "安庆市迎江区" names both 安庆 and 迎江区: the deeper one wins. When unrelated
        regions are named, the first one named wins.
        """
        found = [r for r, _, _ in self.find_all(text) if r.name != ROOT]
        if not found:
            return None
        best = found[0]
        for region in found[1:]:
            if best.name in self.ancestors(region.name):
                best = region
        return best

    def resolve(self, text: str) -> Region:
        """A region from a name, alias or phrase (for /region); NotFound otherwise."""
        text = text.strip()
        if text in self._lookup:
            return self.regions[self._lookup[text]]
        region = self.detect(text)
        if region is None:
            raise NotFound(f"没有找到地区: {text}")
        return region


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))
