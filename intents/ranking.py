"""Which entries answer a topic for a region: the most specific region first among the ones about
as relevant as the best; without a region, the measure the question names, else the national
rule, else ask where the worker is. Also the overview of a region's measures and the "did you
mean" candidates."""

from __future__ import annotations

import heapq
import math
import re
from collections.abc import Callable
from functools import reduce

from intents.evidence import SPECIFIC_SIM, VERBATIM_SIM
from intents.index import AMOUNT_FIGURE, KBIndex
from intents.normalize import normalize
from intents.result import Candidate, MatchResult
from knowledge.gazetteer import ROOT, Gazetteer
from knowledge.models import Entry

TITLE_HOTLINE = re.compile(r"(?<!\d)123\d\d(?!\d)")   # 12348 in a title: the hotline it is named by
RELEVANT_MARGIN = 20.0   # entries this close to the best one count as equally relevant; the most specific region wins
HIT_POINTS = 10.0        # an entry's own keyword in the question counts like this much similarity
TEXT_POINTS = 20.0       # an entry whose text holds all of the question's word pairs ranks this much higher ...
TEXT_RERANK = 24         # ... among this many of a topic's closest entries
OVERVIEW_LIMIT = 8       # measures listed in an overview
OUTSIDERS = ("省外", "外省")   # who qualifies: people from outside the measure's province


class Ranker:
    """Ranks a topic's entries for a region; created once per matcher (it caches distances)."""

    def __init__(self, gazetteer: Gazetteer, cut: Callable[[str], list[str]],
                 answers: dict[str, re.Pattern[str]] | None = None, employers: tuple[str, ...] = (),
                 staying: tuple[str, ...] = ()) -> None:
        self.gazetteer = gazetteer
        self.cut = cut                  # the finest words of a text (the matcher's segmenter)
        self.answers = answers or {}    # aspect -> words of a card that answer it (cost: 免费, 不收费)
        self.employers = employers      # 企业, 厂里: a measure whose title names them is given by employers
        self.staying = staying          # 留下来过年, 不回家: words of the stay itself, longest first
        self._distances: dict[tuple[str, str], int | None] = {}    # (entry region, asked region) -> distance
        self._order_of: dict[str, int] | None = None                # region -> its place in the gazetteer

    def distance(self, entry: Entry, region: str | None) -> int | None:
        """0 for the same region, 1 for its parent, ...; a sub-region (a district of the city the
        worker named) counts after all of those; None when it does not apply there."""
        if region is None:
            return 0
        key = (entry.region, region)
        if key not in self._distances:
            self._distances[key] = self._distance(entry.region, region)
        return self._distances[key]

    def _distance(self, entry_region: str, region: str) -> int | None:
        chain = self.gazetteer.chain(region)
        if entry_region in chain:
            return chain.index(entry_region)
        below = self.gazetteer.chain(entry_region)
        if region != ROOT and region in below:
            return len(below)          # deeper than every ancestor: after all of them
        return None

    def applicable(self, index: KBIndex, intent: str, region: str) -> list[tuple[Entry, int]]:
        """The topic's entries that hold in the region, with their distance (kept with the index)."""
        def make() -> list[tuple[Entry, int]]:
            entries = (index.entries[i] for i in index.by_intent.get(intent, []))
            return [(e, d) for e in entries if (d := self.distance(e, region)) is not None]
        return index.remember(("applicable", intent, region), make)

    @staticmethod
    def entry_score(entry: Entry, sims: dict[str, float], entry_hits: dict[str, float]) -> float:
        """How well the question fits one entry: its wording's similarity plus its keywords found."""
        return sims.get(entry.id, 0.0) + HIT_POINTS * entry_hits.get(entry.id, 0.0)

    def pick(self, result: MatchResult, index: KBIndex, intent: str, sims: dict[str, float],
             entry_hits: dict[str, float], region: str | None) -> None:
        """Set the result's ranked entries for `intent` in the region (or ask where, or say
        there is no such measure there)."""
        entries = [index.entries[i] for i in index.by_intent.get(intent, [])]
        if not entries:
            return
        score = {e.id: self.entry_score(e, sims, entry_hits) for e in entries}
        words = result.text_content
        if len(words) >= 4:            # of the closest, the one whose own text holds the question's words ranks higher
            closest = heapq.nlargest(TEXT_RERANK, score, key=score.__getitem__)
            for entry_id, share in distinctive_overlap(words, [index.vocabulary[i] for i in closest], closest).items():
                score[entry_id] += TEXT_POINTS * share
        # A bare topic ("红包多少", "留下来过年 给钱不": the stay names nothing) says nothing about which
        # measure: every one is relevant. ("人社电话是多少" leaves 人社, which is no topic word: it says which measure).
        said = reduce(lambda text, w: text.replace(w, ""), self.staying, words)
        bare = len(said) < 4 and len(index.terms.without(said, intent)) < 2
        if region is None:
            self._pick_anywhere(result, index, entries, score, sims, entry_hits, bare)
            return
        applicable = self.applicable(index, intent, region)
        if not applicable:
            result.kind, result.no_local = "no_local", True
            result.region_options = self.region_list({e.region for e in entries})
            return
        best_score = max(score[e.id] for e, _ in applicable)
        margin = float("inf") if bare else RELEVANT_MARGIN
        relevant = [(e, d) for e, d in applicable if score[e.id] >= best_score - margin]
        depth = len(self.gazetteer.chain(region))
        if relevant and all(d >= depth for _, d in relevant):
            # Only its districts' measures fit the wording ("安庆市里有吗" after 迎江区's subsidy): the
            # place's own measures come first all the same, then its districts'.
            relevant += [(e, d) for e, d in applicable if d < depth and e.region != ROOT]
        if bare:
            # "红包多少" names no measure: the place's own amounts first (每人2000元), then what
            # employers give on top (企业配套500元), unless the question speaks of employers.
            asked_employer = any(w in (result.text or "") for w in self.employers)
            relevant.sort(key=lambda pair: (pair[1], not pair[0].amount,
                                            bool(pair[0].amount) and not asked_employer and self.employers_give(pair[0]),
                                            -score[pair[0].id], pair[0].id))
        else:
            relevant.sort(key=lambda pair: (pair[1], -score[pair[0].id], not pair[0].amount, pair[0].id))
        chosen = {e.id for e, _ in relevant}
        rest = sorted((p for p in applicable if p[0].id not in chosen), key=lambda p: (-score[p[0].id], p[1]))
        result.entries = [e for e, _ in relevant + rest]
        result.entry = result.entries[0]
        if result.entry.region == ROOT and (restated := self._restated(result.entry, applicable)) is not None:
            result.lead_with(restated)
        elif result.aspect == "amount" and result.entry.kind == "standing" and not result.entry.amount and \
                result.entry.region != ROOT and (
                rule := next((e for e, _ in relevant if e.region == ROOT and e.amount), None)) is not None:
            result.lead_with(rule)     # "加班给几倍": the local right does not say; the national rule does
        elif (said := self.answers.get(result.aspect or "")) is not None and result.entry.region != ROOT \
                and not said.search(_card(result.entry)) and (
                rule := next((e for e, _ in relevant if e.region == ROOT and said.search(_card(e))), None)) is not None:
            result.lead_with(rule)     # "仲裁要钱不": the local card does not say; the national rule's does

    def says_instead(self, index: KBIndex, entry: Entry, aspect: str | None, region: str | None) -> Entry | None:
        """The one other standing right of the topic, of the same place, whose card says the part asked that the
        entry's card does not ("过了一年还能告不" after 欠薪投诉: 劳动仲裁's 时效一年)."""
        said = self.answers.get(aspect or "")
        if said is None or entry.kind != "standing" or said.search(_card(entry)):
            return None
        saying = [e for e, _ in self.applicable(index, entry.intent, region or entry.region)
                  if e.id != entry.id and e.kind == "standing" and e.region == entry.region and said.search(_card(e))]
        return saying[0] if len(saying) == 1 else None

    @staticmethod
    def leaves_out_some(entry: Entry) -> bool:
        """Who qualifies leaves out people from somewhere (非…籍, 省外)."""
        said = _who(entry)
        return "非" in said or any(w in said for w in OUTSIDERS)

    def leaves_out(self, entry: Entry, province: str) -> bool:
        """Who qualifies leaves out people from the province (非湖南籍, 省外 of its own province)."""
        said = _who(entry)
        return f"非{self.gazetteer.short(province)}" in said or any(w in said for w in OUTSIDERS) and \
            self.gazetteer.province(entry.region) == province

    def names_origin(self, entry: Entry, province: str) -> bool:
        """Who qualifies names people from the province (湖南省户籍员工, 本省户籍 of its own province)."""
        said, short = _who(entry), self.gazetteer.short(province)
        return not self.leaves_out(entry, province) and (
            any(f"{short}{w}" in said for w in ("省户籍", "本省", "籍", "户籍")) or
            "本省" in said and self.gazetteer.province(entry.region) == province)

    def employers_give(self, entry: Entry) -> bool:
        """The measure's title names employers (企业, 单位) as who gives it."""
        return any(w in entry.title for w in self.employers)

    @staticmethod
    def restates(local: Entry, rule: Entry) -> bool:
        """The local card says all of the national rule's figures (上海's 春节加班工资 says 300% and
        200%, the rest-day rule 200%): it tells what the rule does."""
        figures = _figures(rule.amount)
        return local.region != ROOT and rule.region == ROOT and local.intent == rule.intent and bool(figures) \
            and figures <= _figures(local.amount)

    @staticmethod
    def _restated(rule: Entry, applicable: list[tuple[Entry, int]]) -> Entry | None:
        """The region's own card that restates a national rule: its amount holds all of the rule's
        figures (麒麟区's 春节期间加班工资 says 300% too), or its title the hotline the rule's title
        is named by (安庆's 12348热线和网上法律咨询), or its title what the rule's title is about (the
        words before "："), and it names the local office to ask."""
        local = [e for e, _ in sorted(applicable, key=lambda p: p[1]) if e.region != ROOT]
        head = rule.title.split("：")[0] if "：" in rule.title else ""
        if len(head) >= 3 and (named := next((e for e in local if head in e.title), None)) is not None:
            return named                 # 晋安's 失业保险金快速办理 for 失业保险金：参保满一年…
        figures = _figures(rule.amount)
        field = "amount"
        if not figures:
            figures, field = set(TITLE_HOTLINE.findall(rule.title)), "title"
        if not figures:
            return None
        return next((e for e in local if figures <= _figures(getattr(e, field))), None)

    def _pick_anywhere(self, result: MatchResult, index: KBIndex, entries: list[Entry], score: dict[str, float],
                       sims: dict[str, float], entry_hits: dict[str, float], bare: bool) -> None:
        """No region known: the measure the question names, else the national rule, else ask
        (`bare`: the question is the topic and nothing more, see `pick`)."""
        ranked = sorted(entries, key=lambda e: score[e.id], reverse=True)
        best = ranked[0]
        national = [e for e in ranked if e.region == ROOT]
        # Wording close to one place's question names that measure only where no national
        # rule answers the same thing and the question says something only that place's
        # measures say ("过年有没有免费年夜饭" could be anywhere); a keyword of its own always does.
        # A bare topic asked ("流量怎么领") is no place's question, however closely it is worded.
        best_in: dict[str, float] = {}             # region -> its best score
        for e in entries:
            best_in[e.region] = max(best_in.get(e.region, score[e.id]), score[e.id])
        leaders = heapq.nlargest(2, best_in.items(), key=lambda kv: kv[1])

        def elsewhere(region: str) -> float:
            """The best score of another place's entries."""
            return next((v for r, v in leaders if r != region), 0)

        named = [e for e in entries if e.region != ROOT and (
            not national and (sims.get(e.id, 0) >= VERBATIM_SIM and not bare or sims.get(e.id, 0) >= SPECIFIC_SIM
                              and self._distinctive(index, e, result.text_content))
            or entry_hits.get(e.id, 0) > 0 and self._distinctive(index, e, result.text_content)
            and score[e.id] >= elsewhere(e.region) + 15)]
        if named and len({e.region for e in named}) == 1:
            pick = max(named, key=lambda e: score[e.id])
            result.entry, result.region, result.kind = pick, pick.region, "measure"
            result.entries = sorted(named, key=lambda e: -score[e.id])
            return
        regional = {e.region for e in entries if e.region != ROOT}
        if national:
            result.entry, result.region, result.entries = national[0], ROOT, national
            return
        if len(regional) == 1 and best.region != ROOT and (entry_hits.get(best.id) or len(entries) == 1):
            result.entry, result.region, result.entries = best, best.region, ranked
            return
        result.kind, result.needs_region, result.entry = "ask_region", True, None
        result.region_options = self.region_list(regional)

    def _distinctive(self, index: KBIndex, entry: Entry, text: str) -> bool:
        """The question holds a word of the entry's own text that no other place's measures have
        (饿了么, 万份, 2000元); 免费 and 年夜饭 could be anywhere."""
        own = index.vocabulary[entry.id]
        return any(len(w) >= 2 and w in own and self._one_place(index, w, entry.region) for w in self.cut(text))

    @staticmethod
    def _one_place(index: KBIndex, word: str, region: str) -> bool:
        """No measure of another place says the word."""
        return all(index.entries[i].region == region for i in index.holding("vocabulary", word))

    def overview(self, result: MatchResult, index: KBIndex, region: str | None,
                 intent: str | None = None, sims: dict[str, float] | None = None,
                 entry_hits: dict[str, float] | None = None, only: frozenset[str] | None = None) -> MatchResult:
        """"有啥福利": the region's offers, amounts first, then its standing rights; with `intent`, one topic's. Among
        equals, the measures the question's words fit best come first ("有啥补贴" lists the
        补贴 before the company top-up), and a follow-up is about the first one. With `only`, the
        measures of a group of workers ("我们司机有啥说法"): a list of those the region has, or the one."""
        sims, entry_hits = sims or {}, entry_hits or {}
        result.intent, result.fallback, result.score = intent or "red_packet", False, 80.0
        if intent is not None:
            self.pick(result, index, intent, {}, {}, region)
            if result.kind != "ask_region" and len(result.entries) > 1:
                result.kind = "overview"
                result.entries = result.entries[:OVERVIEW_LIMIT]
            elif result.entry is not None:
                result.kind = "measure"
            return result
        if region is None:
            result.kind, result.needs_region = "ask_region", True
            result.region_options = self.region_list({e.region for e in index.entries.values()} - {ROOT})
            return result
        chain = self.gazetteer.ancestors(region)
        local = index.remember(("local", region), lambda: [e for e in index.entries.values()
                                                            if e.region in chain and e.region != ROOT])
        if only and (theirs := [e for e in local if e.id in only]):
            local = theirs           # the group's measures there
        if not local:
            result.kind, result.no_local = "no_local", True
            result.region_options = self.region_list({e.region for e in index.entries.values()} - {ROOT})
            return result
        depth = {r: i for i, r in enumerate(chain)}
        intents = {intent: i for i, intent in enumerate(index.by_intent)}
        order = self._order()
        # (A right that always holds, 春节加班工资, is no offer for staying: it comes after the offers;
        # a COVID-era measure no longer in force, 免费口罩, after the others like it.)
        # What is handed out comes first (an amount: money, a data bundle; or a red packet), the most
        # specific place's first ("在怀宁过年有啥好处": 安庆's before 怀宁's volunteers), what the government
        # gives before what employers are asked to give on top; then the rest, the most specific place's first.
        result.entries = heapq.nsmallest(OVERVIEW_LIMIT, local, key=lambda e: (
            e.kind == "standing", not e.amount and e.intent != "red_packet", depth[e.region], not e.amount,
            bool(e.amount) and self.employers_give(e), e.intent != "red_packet", e.kind == "historical",
            -round(self.entry_score(e, sims, entry_hits)), intents[e.intent], order.get(e.region, 0), e.id))
        result.entry, result.kind = result.entries[0], "overview"
        if only and len(result.entries) == 1:
            result.kind, result.intent = "measure", result.entry.intent     # the group's one measure there
        return result

    def region_list(self, regions: set[str]) -> list[str]:
        """Regions in the gazetteer's order (for buttons)."""
        order = self._order()
        return sorted(regions, key=order.__getitem__)

    def _order(self) -> dict[str, int]:
        """Each region's place in the gazetteer's order."""
        if self._order_of is None or len(self._order_of) != len(self.gazetteer.regions):    # (a region added)
            self._order_of = {r: i for i, r in enumerate(self.gazetteer.regions)}
        return self._order_of

    def candidates(self, index: KBIndex, sims: dict[str, float], entry_hits: dict[str, float],
                   region: str | None, limit: int = 5) -> list[Candidate]:
        """The entries the question fits best that apply in the region (for "did you mean")."""
        scores = dict(sims)            # entry_score of every entry with a similarity or a keyword hit
        for entry_id, hits in entry_hits.items():
            scores[entry_id] = scores.get(entry_id, 0.0) + HIT_POINTS * hits
        out: list[Candidate] = []
        # The best first (all of those tied with the last of them, so that ties are broken by id),
        # widening the pool until `limit` of them apply in the region: each pool is a prefix of the
        # whole order, so the answer is the same as sorting them all.
        for size in (8 * limit, 64 * limit, len(scores)):
            best = heapq.nlargest(size, scores.values())
            pool = [i for i, v in scores.items() if v >= best[-1]] if best else []
            out = []
            for entry_id in sorted(pool, key=lambda i: (-scores[i], i)):
                entry = index.entries[entry_id]
                if self.distance(entry, region) is not None:
                    out.append(Candidate(entry_id, entry.title, entry.intent, min(100.0, scores[entry_id])))
                    if len(out) == limit:
                        return out
        return out

    @staticmethod
    def intent_first(candidates: list[Candidate], intents: list[str]) -> list[Candidate]:
        """One candidate per intent in `intents` first (for "did you mean" buttons), then the rest."""
        firsts = []
        for intent in intents:
            for cand in candidates:
                if cand.intent == intent and cand not in firsts:
                    firsts.append(cand)
                    break
        return firsts + [c for c in candidates if c not in firsts]


def _figures(text: str | None) -> set[str]:
    """The amount figures a text says (300 and 200 in 百分之三百（300%）…百分之二百（200%）)."""
    return set(AMOUNT_FIGURE.findall(normalize(text or "")))


def _who(entry: Entry) -> str:
    """Where a measure says who it is for: its title and who qualifies."""
    return f"{entry.title} {entry.eligibility or ''}"


def _card(entry: Entry) -> str:
    """What a card tells the worker."""
    return " ".join(filter(None, (entry.title, entry.answer, entry.how_to_claim, entry.eligibility, entry.contact)))


def distinctive_overlap(text: str, vocabularies: list[str], ids: list[str]) -> dict[str, float]:
    """For each entry, the share of the text's character pairs its vocabulary holds, each pair
    weighted by how few of these entries hold it: "证明" in 法律援助要开证明 tells the measure that
    waives the means test from the other legal-aid measures, "法律" does not."""
    pairs = {text[i:i + 2] for i in range(len(text) - 1)}
    held = {p: [p in v for v in vocabularies] for p in pairs}
    n = len(vocabularies)
    weight = {p: math.log((n + 1) / (sum(h) + 0.5)) for p, h in held.items() if any(h)}
    total = sum(weight.values())
    if not total:
        return dict.fromkeys(ids, 0.0)
    return {entry_id: sum(w for p, w in weight.items() if held[p][k]) / total for k, entry_id in enumerate(ids)}
