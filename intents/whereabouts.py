"""Where a turn's answer is for, beyond the place it names: the most specific of the places the
turn, the conversation and the profile know; the city a district lies in; the family's home
place (care for those left at home, what a home place does for its people working away); where
a trip starts; where work is sought; and a measure that leaves out the worker's home province."""

from __future__ import annotations

import re
from collections.abc import Callable

from intents.index import KBIndex, Prepared
from intents.ranking import Ranker
from intents.result import MatchResult
from knowledge.gazetteer import KIN, ROOT, SOMEONE, Gazetteer, Region
from knowledge.models import Entry

#: Who a measure is for: a place's own people working elsewhere (在外地务工的潜山籍人员).
NATIVES_AWAY = re.compile(r"在外地[^，。；]{0,12}籍|籍[^，。；]{0,4}在外|在外务工|外出务工|人在外地")
HOME_WORDS = ("老家", "家乡", "家里", "家人", "亲人")   # where the family is, not which measure
#: Topics whose measures are the home place's when the worker names it (care for the family left there).
HOME_TOPICS = ("family_care",)
#: Topics whose measures are where a trip starts, not where it goes (坐火车回宣威 能刷脸进站不).
TRIP_TOPICS = ("travel",)
#: Work sought where a trip goes (今年想回安庆找个活), not where the worker is (在上海打工), nor a trip
#: not made (不想回安庆找活, 回不去安庆) or someone else's (我老婆去安庆打工).
WORK_SOUGHT = re.compile(r"(?:回|去(?!年)|到)(?:老家)?([^ 不]{2,10}?)(?:找(?:个|份|点)?(?:活|工作|事做|工)|上班|打工|干活)")
NOT_GOING = re.compile(r"(?:不|没|别)[^ ]{0,3}$")


class Whereabouts:
    """Create once per matcher; answers where, from the gazetteer and the ranked measures."""

    def __init__(self, gazetteer: Gazetteer, ranker: Ranker, cut: Callable[[str], list[str]]) -> None:
        self.gazetteer = gazetteer
        self.ranker = ranker
        self.cut = cut

    def where(self, named: str | None, context: str | None, saved: str | None) -> str | None:
        """The region to answer for: the one named, else the conversation's, else the saved one;
        but a place inside it that the conversation or the worker's profile already knows is more
        specific ("留福州有补贴吗" from a worker saved in 晋安区 is about 晋安区)."""
        known = [r for r in (named, context, saved) if self.gazetteer.knows(r)]
        if not known:
            return None
        region = known[0]
        for inside in known[1:]:
            if inside != region and region in self.gazetteer.chain(inside):
                region = inside
        return region

    def city_of(self, region: str) -> str:
        """The city (prefecture level, or a municipality) a region lies in: 安庆市 for 迎江区 and
        for 潜山市, 上海市 for 松江区; the region itself above that level."""
        chain = self.gazetteer.chain(region)
        for name, parent in zip(chain, chain[1:], strict=False):
            if name.endswith("市") and (parent == ROOT or parent.endswith(("省", "自治区"))):
                return name
        return region

    def local(self, index: KBIndex, intent: str, region: str | None) -> bool:
        """The region has a measure of its own (not only national rules) on the topic."""
        return region is not None and any(e.region != ROOT for e, _ in self.ranker.applicable(index, intent, region))

    def fits_better_at(self, index: KBIndex, intent: str, there: str, here: str | None, sims: dict[str, float],
                       entry_hits: dict[str, float]) -> bool:
        """The topic's own measures at `there` fit the question at least as well as the ones at `here`."""
        def best(region: str | None) -> float:
            return max((self.ranker.entry_score(e, sims, entry_hits) for e, _ in self.ranker.applicable(index, intent, region)
                        if e.region != ROOT), default=0.0) if region else 0.0
        return best(there) >= best(here)

    def for_natives_away(self, index: KBIndex, intent: str, region: str) -> bool:
        """The region has a measure on the topic for its people working elsewhere (在外地工作的安庆籍人员)."""
        return any(e.region != ROOT and NATIVES_AWAY.search(e.eligibility or "")
                   for e, _ in self.ranker.applicable(index, intent, region))

    def for_those_away(self, result: MatchResult, region: str | None, q: Prepared) -> Entry | None:
        """A worker away from home: the home place's measure for its people away, unless the
        question says what the first measure's title does (我哥残疾: the help for disabled people)."""
        if result.entry is None:
            return None
        away = next((e for e in result.entries if e.region == region and NATIVES_AWAY.search(e.eligibility or "")), None)
        if away is None or any(len(w) >= 2 and w not in HOME_WORDS and w in result.entry.title and w not in away.title
                               for w in self.cut(q.canon)):
            return None
        return away

    def work_sought_at(self, place_text: str) -> Region | None:
        """Where the worker goes to look for work (今年想回安庆找个活), when the trip is made (not 不想回)
        and is the worker's own (not 我老婆去安庆打工)."""
        sought = WORK_SOUGHT.search(place_text)
        if sought is None or NOT_GOING.search(place_text[:sought.start()]):
            return None
        clause = place_text[:sought.start()].split(" ")[-1]
        if any(w in clause for w in (*SOMEONE, *KIN) if w not in ("他", "她")):
            return None
        return self.gazetteer.detect(sought.group(1))

    def at_home(self, index: KBIndex, topic: str, prev: Entry, place_text: str, edges: set[int]) -> bool:
        """"我老家安庆怀宁的 家里老的带着娃 那边有人管不" mid-conversation: care for the family, at a
        home place that has its own measures and where the previous measure does not apply."""
        if topic not in HOME_TOPICS:
            return False
        home = self.gazetteer.home(place_text, edges)
        return home is not None and self.ranker.distance(prev, home.name) is None and self.local(index, topic, home.name)

    def trip_start(self, index: KBIndex, named: Region, place_text: str, edges: set[int], topic: str | None,
                   context: str | None, saved: str | None) -> str | None:
        """The worker's own region, when the place named is where a trip about a travel measure goes
        and the worker's region has travel measures of its own."""
        here = self.where(None, context, saved)
        if here is None or topic not in TRIP_TOPICS or named.name in self.gazetteer.chain(here) \
                or not self.local(index, topic, here) or self.gazetteer.trip_to(place_text, edges) != named:
            return None
        return here

    def for_origin(self, index: KBIndex, result: MatchResult, place_text: str, edges: set[int]) -> MatchResult:
        """"我是邵阳的 那个600块我有没有份" in 芙蓉区: the 600元 is for workers from outside 湖南, so
        the measure for the worker's own province leads (本省户籍员工同等留岗补贴), else the place's
        next measure that does not leave them out."""
        entry = result.entry
        if entry is None or result.kind not in ("measure", "followup") or not self.ranker.leaves_out_some(entry):
            return result
        home = self.gazetteer.home(place_text, edges)
        province = self.gazetteer.province(home.name) if home is not None else None
        if province is None or not self.ranker.leaves_out(entry, province):
            return result
        nearest = sorted(self.ranker.applicable(index, entry.intent, result.region or entry.region), key=lambda p: p[1])
        pool = [*result.entries[1:], *(e for e, _ in nearest if e not in result.entries)]
        alt = next((e for e in pool if self.ranker.names_origin(e, province)), None) or next(
            (e for e in pool if e.region == entry.region and not self.ranker.leaves_out(e, province)), None)
        if alt is None:
            return result
        result.left_out = entry
        return result.lead_with(alt)
