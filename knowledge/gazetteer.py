"""Region gazetteer: hierarchy, aliases and 小年 custom of every region the bot knows.

The regions of `data/regions.yaml` are the ones the knowledge base covers. Places outside
them (宜昌, 南京鼓楼区) come from `knowledge.places` (all of China's divisions): they are
detected, shown and placed under their province and 全国, but have no measures of their own."""

from __future__ import annotations

import math
import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import yaml

from knowledge.errors import NotFound, ValidationError
from knowledge.fastyaml import read_yaml
from knowledge.places import Places

DATA_DIR = Path(__file__).parent / "data"
REGIONS_FILE = DATA_DIR / "regions.yaml"
ROOT = "全国"
#: Right after a place: it is spoken of as "there", the place asked about (上海那边有吗).
THERE_WORDS = "那边|那里|那儿|那块|那头"
THERE = re.compile(rf"(?:{THERE_WORDS})")
#: After a place, these call it "here": where the worker is (麒麟区这边让不让走).
HERE = re.compile(r"(?:这边|这里|这儿|这块)")
#: Someone's "there": the place said of that person (老公在上海嘉定 … 他那边有啥补贴).
THEIR_THERE = re.compile(rf"(?:他|她)们?(?:{THERE_WORDS}|那)")
#: Before a place and 的, these make it where that person is from (我们河南的, 他四川的).
FROM_PEOPLE = ("我们", "俺们", "咱们", "我", "俺", "咱", "他们", "她们", "他", "她")
#: 的 as typed in 河南 (哩), 粤语 (嘅) and elsewhere.
OF = ("的", "哩", "嘅", "滴")
#: Words before a place that make it the worker's home, not where they work (老家安庆).
_CLAUSE_BREAK = re.compile(r"[\s，,。！？!?；;、]")
HOME_BEFORE = ("老家", "家乡", "来自", "户口", "户扣", "护口", "户籍", "身份证", "家里在", "家在", "屋头在", "屋里在", "屋企在", "屋企喺")
# (户扣, 护口: 户口 as pinyin input mistypes it)
#: Right before a place, these make it a home too (我是河南的, 不回四川), also of someone
#: else (我朋友贵州的, 工友四川人): a person, then a place, says where they are from.
HOME_RIGHT_BEFORE = ("我是", "俺是", "我系", "朋友", "老乡", "同事", "工友", "亲戚", "老婆", "媳妇", "老公", "对象",
                     "不回", "没回", "回不了", "不能回", "回不去", "回不来", "没法回")       # 过年不回四川: where one would go back to
#: After 从 and a place, coming or going on to another (从贵阳来, 从河南坐火车过来, 从苏州回安庆): not where one
#: is; else a trip starts there, where one is (从麒麟开车出去, 从北峰下山).
FROM_COMING = re.compile(r"[^ ，,。；]{0,4}?(?:来|回|到|(?<!出)去)")
#: A person, then 是 (也是, 都是), then a place: where they are from (我老乡是河南的, 他也是四川的).
PEOPLE = ("我", "俺", "咱", "他", "她", "朋友", "老乡", "同事", "工友", "亲戚", "老婆", "媳妇", "老公", "对象",
          "爸", "妈", "孩子", "娃")
#: Someone's home, then 是, then a place: where they are from (他屋里是武汉的).
HOME_OF = ("屋里", "家里", "屋头", "老家", "屋企")
#: Of those, someone other than the worker (在宜兴的老乡: where that person is).
OTHERS = tuple(p for p in PEOPLE if p not in ("我", "俺", "咱"))
#: Family, then 在 (留在, 住在), then a place: where the family is (儿子在怀宁跟他爷爷).
KIN = ("儿子", "女儿", "孩子", "娃", "小孩", "老人", "爸妈", "父母", "爷爷", "奶奶", "外公", "外婆", "老婆", "媳妇",
       "家里人", "家人", "一家老小", "妈", "爸", "老娘", "孙子", "孙女", "孙儿", "孙伢子", "外孙", "伢子", "伢儿", "崽")
#: (With their age between: 我妈七十多了在怀宁.)
KIN_AT = re.compile(rf"(?<!我和)(?<!我跟)(?<!俺和)(?<!俺跟)(?:{'|'.join(KIN)})(?:[0-9一二三四五六七八九十多岁了]{{1,5}})?"
                    r"(?:都|还|也)?(?:在|留在|住在|待在)$")
# (我和老婆都在上海: the worker is there too, so that is no place of the family's own.)
#: Someone else, then 在, then a place: where that person is (我兄弟在宣威, 我有同学在福州晋安).
SOMEONE = ("兄弟", "同学", "老乡", "朋友", "同事", "工友", "亲戚", "老表", "表哥", "表弟", "表姐", "表妹", "堂哥", "堂弟",
           "哥哥", "弟弟", "姐姐", "妹妹", "我哥", "我弟", "我姐", "我妹", "侄儿", "侄子", "外甥", "舅舅", "叔叔",
           "我舅", "小舅", "大舅", "舅妈", "小姨", "我姨", "姨妈", "姑姑", "我叔", "婶婶", "嫂子", "姐夫", "妹夫", "小舅子",
           "老公", "对象", "男朋友", "女朋友", "男盆友", "女盆友", "闺蜜", "室友", "姑娘", "闺女", "女儿", "儿子", "俺儿", "我儿",
           "他", "她")
#: The worker, then 在, then a place: where the worker is (我在长沙芙蓉区, 俺现在在宜秀).
WORKER_AT = re.compile(r"(?<![的和跟])(?:我|俺|咱)(?:们)?(?:现在|今年|一直|目前|过年)?(?:在|喺)$")
#: A place, 的, then someone else or family: where that person is (给昆明的姐姐寄点火腿).
SOMEONE_OF = re.compile(rf"(?:那边|那里|这边)?(?:{'|'.join(OF)})(?:{'|'.join(s for s in (*SOMEONE, *KIN) if s not in ('他', '她'))})")
SOMEONE_AT = re.compile(rf"(?<![和跟])(?:{'|'.join(SOMEONE)})(?:们)?(?:人)?(?:都|还|也|现在|今年)?(?:在|去了|跑到|调到)$")
#: After a place, someone else there ("沾益那边有没得 我表哥在那点上班"): the place is theirs.
SOMEONE_THERE = re.compile(rf"(?<![和跟])(?:{'|'.join(s for s in SOMEONE if s not in ('他', '她'))})(?:们)?(?:都|还|也|现在|今年)?"
                           r"(?:在|就在)(?:那点|那边|那里|那儿|那块|那头)")
THERE_REACH = 14   # ... said this close after the place (the next clause), and not of a place the worker said they are at
# (我和儿子在芙蓉区: the worker is there too.)
#: Right before a place, these make it where a trip goes (坐火车回宣威, 去上海的票), not where the worker is.
TRIP_TO = re.compile(r"(?:回|去|到|往|飞)(?:趟)?$")
#: "在沾益…不对不对 是麒麟区", "安庆 说错了 在上海": a place said, corrected right after, and the place said again.
CORRECTED = re.compile(r"[^ ]{0,3}?[ .…。，,]*(?:(?<![对说])不对(?:不对)*|说错了|搞错了|口误)[ .…。，,！!]*(?:是|在)")
BACK_TO = re.compile(r"回$")
#: Right before a place, these make it where the worker used to be, not where they are.
AGE_BEFORE = re.compile(r"[0-9]{2} ?$")     # an age right before a place and 的 (我22 广西的)
PAST_BEFORE = ("原来在", "以前在", "之前在", "原先在", "去年在", "从前在")
#: Right after a place, these make it a home (我湖南本地的, 安庆户口).
HOME_AFTER = ("本地", "户口", "户扣", "护口", "户籍", "老乡", "老家")
#: After a place, "那边的" makes it a home when not going back follows (河南那边的今年不打算回去),
#: or 人, or a person said it of themselves (我河南那边的 在上海干活); not 上海那边的补贴, 长沙那边的也有吗.
FROM_THERE = re.compile(rf"(?:{THERE_WORDS})的(?:(?P<from>(?:今年|过年|春节)?(?:都|也)?(?:不|没)(?:打算|准备|想|能)?回"
                        r"|人(?!社|力|民|才))|(?=$|\s))")
#: After a place (and 的), whether that counts as from out of the province: where someone is from
#: (湖北的算外省吧, 湖北算省外吗, 江西的人应该算外地吧).
COUNTS_AS = re.compile(r"(?:的)?(?:人)?(?:应该|该)?(?:也|都)?(?:算|属于|是不是|不算)(?:不算|是)?(?:外省|省外|外地|本省|本地|外来|非本)")
#: After a place, 人 makes it a home (四川人), except in these words (安庆人社局).
NOT_HOME_AFTER = ("人社", "人力", "人民", "人才")


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
        self._ancestors: dict[str, tuple[str, ...]] = {}
        self.places = Places.load()
        # How sure a name is: official names (3) beat everyday short names and nicknames (2),
        # which beat forms made from a one-character abbreviation (在宜, 留榕: 1).
        strength: dict[str, int] = {}
        for region in regions:
            for key in (region.name, region.short):
                strength[key] = 3
            for key in region.aliases:
                weak = len(key) == 2 and key[0] in "在留来"
                strength.setdefault(key, 3 if self.places.candidates(key) else 1 if weak else 2)
        for key, names in self.places.keys.items():
            official = any(self.places.by_name[n].official == key for n in names)
            strength[key] = max(strength.get(key, 0), 3 if official else 2)
        self._strength = strength
        # Official names (宜昌市, 迎江区) are places wherever they stand; other names only where
        # they are a word of their own (高平 is no place in 血压高平时).
        self._official = {r.name for r in regions} | {
            key for key, names in self.places.keys.items() if any(self.places.by_name[n].official == key for n in names)}
        # The lengths of the names that begin with each two characters (one for a one-character name).
        lengths: dict[str, set[int]] = {}
        for key in strength:
            lengths.setdefault(key[:2], set()).add(len(key))
        self._lengths = {start: sorted(found, reverse=True) for start, found in lengths.items()}

    # ------------------------------------------------------------------ loading
    @classmethod
    def from_yaml(cls, path: str | Path = REGIONS_FILE) -> Gazetteer:
        """Read and check the gazetteer file; ValidationError names the problem."""
        path = Path(path)
        try:
            raw = read_yaml(path)
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

    def knows(self, name: str | None) -> bool:
        """True for a covered region or any other division of China."""
        return bool(name) and (name in self.regions or self.places.get(name) is not None)

    def region(self, name: str) -> Region:
        """A covered region, or a division outside them as a Region; NotFound otherwise."""
        if name in self.regions:
            return self.regions[name]
        place = self.places.get(name)
        if place is None:
            raise NotFound(f"没有这个地区: {name}")
        parent = place.parent if place.parent in self.regions or self.places.get(place.parent) else ROOT
        covered = next((n for n in self.ancestors(name) if n in self.regions), ROOT)
        return Region(name=place.name, short=self.short(place.name), parent=parent, aliases=(),
                      xiaonian=self.regions[covered].xiaonian if covered in self.regions else 23)

    def ancestors(self, name: str) -> list[str]:
        """The region and its parents up to 全国, most specific first."""
        return list(self.chain(name))

    def chain(self, name: str) -> tuple[str, ...]:
        """`ancestors` as a cached tuple (for hot paths)."""
        cached = self._ancestors.get(name)
        if cached is None:
            cached = self._ancestors[name] = tuple(self._chain(name))
        return cached

    def _chain(self, name: str) -> list[str]:
        chain = []
        current: str | None = name
        if name not in self.regions and self.places.get(name) is not None:
            for outside in self.places.chain(name):
                if outside in self.regions:
                    current = outside
                    break
                chain.append(outside)
            else:
                current = ROOT
        while current and current in self.regions and current not in chain:
            chain.append(current)
            current = self.regions[current].parent
        return chain

    def province(self, name: str) -> str | None:
        """The province a region is in (itself for a province; None for 全国)."""
        chain = self.chain(name)
        return chain[-2] if len(chain) >= 2 and chain[-1] == ROOT else None

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
        if region:
            return region.short
        place = self.places.get(name)
        if place is None:
            return name
        parent = self.places.get(place.parent)
        if place.level == 3 and not place.official.endswith("市") and parent is not None:
            return parent.short + place.official       # 南京鼓楼区: 鼓楼区 alone is also 福州's
        return place.short

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
    def weak_names(self) -> list[str]:
        """Names made from a one-character abbreviation (留长, 在宜): also found inside measure
        names such as 留长礼包, where they are no place at all."""
        return [key for key, strength in self._strength.items() if strength == 1]

    def names_weak_names_could_swallow(self) -> list[str]:
        """Names that begin with a weak name's last character or end with its first (宜春, 宜宾
        beside 在宜): a tokenizer must know them, or "我在宜春" is cut 在宜|春 and read as 安庆."""
        weak = self.weak_names()
        heads, tails = {w[-1] for w in weak}, {w[0] for w in weak}
        return sorted(key for key in self._strength if len(key) >= 2 and self._strength[key] >= 2
                      and (key[0] in heads or key[-1] in tails))

    def _names_in(self, text: str, boundaries: Collection[int] | None = None) -> list[tuple[int, int, str]]:
        """Every known name in the text as (start, end, key), overlaps settled: the surer
        name wins (宜昌 over the nickname 在宜), then the longer one (宜城市 over 宜城). With the
        word boundaries of the text, a name that is not official must start and end on one."""
        if boundaries is not None:
            boundaries = self._split_compounds(text, boundaries)
        found = []
        for i in range(len(text)):
            two = self._lengths.get(text[i:i + 2], ()) if i + 1 < len(text) else ()
            for j in (i + n for n in (*two, *self._lengths.get(text[i], ())) if i + n <= len(text)):
                key = text[i:j]
                if key in self._strength and (len(key) > 1 or key in self._lookup) and (
                        boundaries is None or key in self._official or i in boundaries and j in boundaries):
                    found.append((i, j, key))
        found.sort(key=lambda m: (-self._strength[m[2]], -(m[1] - m[0]), m[0]))
        taken: list[tuple[int, int, str]] = []
        for m in found:
            if all(m[1] <= t[0] or m[0] >= t[1] for t in taken):
                taken.append(m)
        return sorted(taken)

    def _split_compounds(self, text: str, boundaries: Collection[int]) -> set[int]:
        """Word boundaries, plus the joint inside a word that is two names (上海浦东: 上海|浦东)."""
        edges = sorted(set(boundaries) | {0, len(text)})
        out = set(edges)
        for a, b in zip(edges, edges[1:], strict=False):
            for k in range(a + 1, b):
                if text[a:k] in self._strength and text[k:b] in self._strength:
                    out.add(k)
        return out

    @staticmethod
    def is_home(text: str, start: int, end: int) -> bool:
        """The place at text[start:end] is where someone comes from (老家安庆, 我是四川人), not where they are."""
        before = _CLAUSE_BREAK.split(text[max(0, start - 4):start])[-1]    # 没回老家，晋安有…: not across a clause
        if any(word in before for word in HOME_BEFORE) and not before.endswith(("来", "到")) \
                or before.endswith(HOME_RIGHT_BEFORE) or before.endswith("从") and FROM_COMING.match(text, end):
            return True                  # (从老家来晋安: where they come to, not from; 从麒麟开车出去: where a trip starts)
        if any(text[max(0, start - len(w)):start] == w for w in PAST_BEFORE):
            return True                  # 原来在上海松江: where the worker used to be
        said = text[max(0, start - 6):start]
        if said.endswith("是") and said[:-1].removesuffix("也").removesuffix("都").removesuffix("们").endswith(
                (*PEOPLE, *HOME_OF, *SOMEONE, *KIN)):
            return True                  # 我老乡是河南的, 她也是四川人, 他屋里是武汉的, 我室友是江西的: where someone is from
        if text.startswith("的号", end) or text[end:end + 1] == "的" and (
                text[max(0, start - 1):start] == "岁" or AGE_BEFORE.search(text[max(0, start - 4):start])):
            return True                  # 我卡是江西的号, 我22岁广西的, 我22 广西的: where a phone number or a person is from
        if text[end:end + 1] == "籍" or text.startswith(HOME_AFTER, end) or COUNTS_AS.match(text, end):
            return True                  # (湖北的算外省吧: where the worker is from)
        if text.startswith(("来的", "过来的", "出来的"), end) and not before.endswith(("到", "来", "回", "去")):
            return True                  # 我们几个贵州来的, 河南过来的: where they come from (not 到晋安来的: where they came to)
        if (there := FROM_THERE.match(text, end)) and (
                there.group("from") or text[max(0, start - 2):start].endswith(FROM_PEOPLE)):
            return True                  # 河南那边的今年不打算回去, 我河南那边的 在上海干活
        if text[max(0, start - 2):start].endswith(FROM_PEOPLE) and text[end:end + 1] in OF:
            return True                  # 我安徽的, 我们河南的, 俺河南哩: where someone is from
        if text[max(0, start - 1):start] == "是" and text[end:end + 1] == "的" and any(
                word in text[max(0, start - 12):start] for word in HOME_BEFORE):
            return True                  # 我户口不在这 是昭通的: the household registration's place
        if text[end:end + 1] == "的" and text.startswith(OTHERS, end + 1):
            return True                  # 在宜兴的老乡: where someone else is
        if start > 0 and text[start - 1] == " " and text[end:end + 2] == "的 " and text[end + 2:].strip():
            return True                  # "那600块我能拿不 江西的 在工地上干": between clauses, where I am from
        return text[end:end + 1] == "人" and not any(text.startswith(w, end) for w in NOT_HOME_AFTER)

    def _candidates(self, key: str) -> list[str]:
        names = [self._lookup[key]] if key in self._lookup else []
        return names + [n for n in self.places.candidates(key) if n not in names]

    def find_all(self, text: str, boundaries: Collection[int] | None = None, *,
                 homes: bool = False) -> list[tuple[Region, int, int]]:
        """Every place named in the text where the worker is (with `homes`, also the places
        people come from), in order. `boundaries`: where the text's words start and end, when
        known (see `_names_in`).

        A name several places share (鼓楼区) is the one under another place named in the same
        text (南京鼓楼区), else the covered region, else the first division of that name."""
        runs: list[list[tuple[int, int, str]]] = []      # adjacent names: 湖南|衡阳, 河南|周口
        for span in self._names_in(text, boundaries):
            if runs and runs[-1][-1][1] == span[0]:
                runs[-1].append(span)
            else:
                runs.append([span])
        # A run is a home when one of its names is, or the run as a whole is (我|河南|周口|的).
        spans = [span for run in runs if homes or not (any(self.is_home(text, i, j) for i, j, _ in run)
                                                       or self.is_home(text, run[0][0], run[-1][1]))
                 for span in run]
        named = [self._candidates(key) for _, _, key in spans]
        out: list[tuple[Region, int, int]] = []
        for (i, j, _key), options in zip(spans, named, strict=True):
            if out and i < out[-1][2]:
                continue                  # taken by the county before it (舟山|普陀)
            others = {n for group in named if group is not options for n in group}
            pick = next((o for o in options if others & set(self.ancestors(o)[1:])), options[0])
            child = self.places.child_after(pick, text[j:])
            if child:
                pick, j = child[0], j + child[1]
            out.append((self.region(pick), i, j))
        return out

    def detect(self, text: str, boundaries: Collection[int] | None = None) -> Region | None:
        """The most specific region named in the text, or None.

        "安庆市迎江区" names both 安庆 and 迎江区: the deeper one wins. When unrelated
        regions are named, the one called "there" (上海那边) wins, else the first one named.
        """
        found = [(r, i, j) for r, i, j in self.find_all(text, boundaries) if r.name != ROOT]
        # A place corrected ("沾益…不对不对 是麒麟区"): the places said after the correction.
        corrected = max((m.end() for _, _, j in found if (m := CORRECTED.match(text, j))), default=-1)
        if any(i >= corrected for _, i, _ in found):
            found = [(r, i, j) for r, i, j in found if i >= corrected]
        # "昆山离上海近 上海那边有吗": the place spoken of as "there" is the one asked about; "过年想
        # 回四川看我妈 麒麟区这边让不让走": "here" is where the worker is, not where a trip goes.
        there = [r for r, _, j in found if THERE.match(text, j) or HERE.match(text, j)]
        if THEIR_THERE.search(text):     # "我在郑州 老公在上海嘉定 他那边有补贴没": where he is
            there = [r for r, i, _ in found if SOMEONE_AT.search(text[max(0, i - 4):i])][-1:] or there
        trips = {r.name for r, i, _ in found if TRIP_TO.search(text[max(0, i - 2):i])}
        ordered = [r for r, _, _ in found if r.name not in trips] + [r for r, _, _ in found if r.name in trips]
        return self._deepest(there[-1:] + ordered)

    def home(self, text: str, boundaries: Collection[int] | None = None) -> Region | None:
        """The most specific place named in the text as someone's home (我娃在怀宁老家), or None."""
        where = {(i, j) for _, i, j in self.find_all(text, boundaries)}
        return self._deepest([r for r, i, j in self.find_all(text, boundaries, homes=True)
                              if (i, j) not in where and r.name != ROOT])

    def someone_elses(self, text: str, boundaries: Collection[int] | None = None) -> Region | None:
        """The most specific place the text says someone else is (我兄弟在宣威一个厂; 沾益那边有没得
        我表哥在那点上班), or None."""
        return self._said_after(text, boundaries, SOMEONE_AT, 4) or self._deepest(
            [r for r, i, j in self.find_all(text, boundaries, homes=True)
             if r.name != ROOT and (SOMEONE_OF.match(text, j) or SOMEONE_THERE.search(text[j:j + THERE_REACH])
                                    and not WORKER_AT.search(text[max(0, i - 6):i]))])

    def workers_own(self, text: str, boundaries: Collection[int] | None = None) -> Region | None:
        """The most specific place the text says the worker is (我在长沙芙蓉区, 俺现在在宜秀), or None."""
        return self._said_after(text, boundaries, WORKER_AT, 6)

    def going_back_to(self, text: str, boundaries: Collection[int] | None = None) -> Region | None:
        """The most specific place the text says someone goes or sends things back to (回宣威, 寄回四川), or None."""
        return self._said_after(text, boundaries, BACK_TO, 1)

    def kin_place(self, text: str, boundaries: Collection[int] | None = None) -> Region | None:
        """The most specific place where the text says the worker's family is (儿子在怀宁月山镇), or None."""
        return self._said_after(text, boundaries, KIN_AT, 8)

    def trip_to(self, text: str, boundaries: Collection[int] | None = None) -> Region | None:
        """The most specific place the text says a trip goes to (回宣威看我妈), or None."""
        return self._said_after(text, boundaries, TRIP_TO, 2)

    def _said_after(self, text: str, boundaries: Collection[int] | None, before: re.Pattern[str],
                    reach: int) -> Region | None:
        """The most specific place named right after words `before` matches (within `reach` characters)."""
        return self._deepest([r for r, i, _ in self.find_all(text, boundaries, homes=True)
                              if r.name != ROOT and before.search(text[max(0, i - reach):i])])

    def _deepest(self, found: list[Region]) -> Region | None:
        """The first region named, or one of its own sub-regions named after it."""
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
        if self.places.candidates(text):
            return self.region(self._candidates(text)[0])
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
