"""The matcher: a worker's question, region and conversation so far to the right answer.

A question is prepared (`intents/index.py`: normalised, rewritten, places taken out), its
evidence gathered once (`intents/evidence.py`: topic terms, similarity to entries' wording, the
learned model). Mid-conversation the conversation rules come first (`intents/thread.py`: a
follow-up, another measure of the topic, a measure named, a region switch); otherwise the turn
is a greeting, out of scope, an overview or a topic. The topic's entries are then ranked for the
region (`intents/ranking.py`).
"""

from __future__ import annotations

import heapq
import logging
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass
from functools import partial

from intents.aspects import aspect_answer, validity_text
from intents.clauses import Clauses
from intents.evidence import Evidence, gather, similarities, term_evidence
from intents.heard import HeardPlaces
from intents.index import STRONG_TERM, KBIndex, Prepared, TextPipeline
from intents.learned import NOT_TOPICS, OOS
from intents.normalize import is_cjk, normalize
from intents.ranking import TITLE_HOTLINE, Ranker
from intents.reading import Reading
from intents.resources import Resources
from intents.result import KINDS, Candidate, MatchResult
from intents.segment import Segmenter
from intents.thread import REGION_SWITCH_WORDS, Thread, amount_figures, elsewhere
from intents.whereabouts import HOME_TOPICS, Whereabouts
from knowledge.gazetteer import HERE, KIN, ROOT, SOMEONE, THEIR_THERE, THERE_WORDS, Region
from knowledge.models import Entry
from knowledge.store import KnowledgeBase

__all__ = ["KINDS", "Candidate", "MatchResult", "Matcher"]

ACCEPT = 40.0            # below this confidence the matcher falls back (a strong term alone is 40)
NO_TERM_PROB = 0.4       # without any topic term, the learned model must be this sure ...
NO_TERM_SIM = 75.0       # ... or the wording this close to an entry's
AMBIGUOUS_RATIO = 0.85   # second intent this close to the first: "did you mean"
OWN_TERMS_HIT = 0.5      # a measure whose own terms say all the topic's words typed: half a keyword found
HELD_RATIO = 0.75        # second topic this close: the one a measure of which says more of the words typed
CONFIDENT = 80.0         # above this, never ask "did you mean"
GENERAL_SPECIFIC_PROB = 0.7   # a general question ("有啥好处") unless the model is this sure of one topic
OFFER_NEUTRAL = ("red_packet", "epidemic_prevention")   # ... other than these (money on offer; the rules of staying)
OOS_PROB = 0.55          # the learned model is this sure it asks for no measure: out of scope, unless
OOS_PROB_IN_CONVERSATION = 0.85
REACTION_CHAT_PROB = 0.3 # a remark that laughs or judges (哈哈, 笑死) is chit-chat when the model gives it this much
#: Kinds of answer that a hello or thanks around a message may have caused.
COURTESY_ONLY = ("greeting", "out_of_scope", "empty")
GREETING_PROB = 0.8      # the learned model is this sure of thanks or goodbye, no topic word typed and nothing asked
TIE_OOS_PROB = 0.2       # out-of-scope words as strong as the topic's lose when the model gives them this little
ADVICE_OOS_PROB = 0.1    # an advice question is out of scope unless the model is sure it is a topic
ADVICE_OOS_PROB_IN_CONVERSATION = 0.4    # ... mid-conversation, unless it is fairly sure
OOS_OVERRIDES_LEX = 8.0  # ... topic terms this strong (two words, not one: 体检 in 体检前能喝酒吗 is not enough)
OOS_OVERRIDES_SIM = 80.0 # ... or wording this close to an entry's question say otherwise
NAMING_ENTRIES = 2          # a keyword only this many measures have names them
RESIDUE_TOPIC_PROB = 0.05   # what is left of a question once the part asked (怎么用) is taken out is this
                            # surely a topic ("工会礼券"): the question is about it
CONTEXT_POINTS = 20.0    # mid-conversation, the topic being talked about gets this much more
STATING = 2              # a follow-up lists this many of the place's other measures that state the part asked
# A turn about someone else spoken of before (他过年加班有补助吗, 他那边呢, 给她的, 俺儿在那边), not the worker
# ("他们说留下有红包" is hearsay; "他欠我工资" is about the worker).
ABOUT_THEM = re.compile(rf"^(?:那|那么|那个)?(?:他|她)(?!妈|爸|们说)|(?:他|她)们?(?:{THERE_WORDS})|(?:给|帮)(?:他|她)们?(?!妈|爸)"
                        rf"|(?:{'|'.join(w for w in SOMEONE if len(w) >= 2)})(?:在|也在)?(?:{THERE_WORDS})")
HERE_SPOKEN_OF = re.compile(rf"{HERE.pattern}|我们这|你们这")
ABOUT_ME = re.compile(r"(?:他|她)[^ ]{0,3}(?:我|俺)")
# Someone elsewhere comes to where the worker is, or is brought along (女朋友在仓山上班 能带她去不).
FAMILY = (*KIN, "哥", "弟", "姐", "妹")   # the worker's family, brothers and sisters too
KIN_TOLD = re.compile(rf"(?:{'|'.join(KIN)})(?:也|都|一直|天天)?(?:叫|让|喊|劝)(?:我|俺)")   # 爸妈叫我别回了
COMING_OVER = re.compile(r"过来|来这边|来我这|带(?:上)?(?:她|他|它)(?:们)?(?:一起)?(?:去|来|过去|参加)")
HOTLINE_ASKED = re.compile(r"热线|电话|号码|打哪个|打什么|打啥")   # a turn asks which number to call
HOME_SPOKEN_OF = re.compile(r"老家(?:有|的|那边|那里|那儿|这个|那个)")   # the worker asks about their home place's own
REQUEST = re.compile(r"帮我|帮俺|给我|推荐|我要|我想要|查一下|查查|告诉我|订")    # a request, even put as a statement
#: Asking whether something must be given ("是zf规定必须发的吗"), not who gives it.
OBLIGED = re.compile(r"规定|必须|强制|一定要|硬性")
#: The city itself, as against its districts ("安庆市里", "市级的").
CITY_LEVEL = re.compile(r"市里|市级|市本级|全市")
#: The worker's own place, said after talking of someone else's ("我自己这边", "俺们这里").
OWN_PLACE = re.compile(r"(?:我|俺|咱|我们|俺们|咱们)(?:自己|自个)?(?:这边|这里|这儿|这块)")
#: Parts of a measure only a measure has (what to bring, whom to call); "多少钱", "怎么办" and
#: "几天" (能放几天) are asked of anything.
SEEKING_ASPECTS = ("materials", "contact", "place", "family", "eligibility")
#: Topics whose measures are where work is sought (今年想回安庆找个活), not where the worker is.
WORK_TOPICS = ("jobs",)
KEPT_AT_HOME = ("family_care", "hardship_relief")   # asked with no place, after the family at home: there
WORD_FIELDS = ("eligibility", "how_to_claim", "contact", "amount")   # a word asked about, where the card says it
KIN_MARGIN = 10.0        # the measure for the same people as the previous one fits this much better ...
RARE_NAME = 4            # a word this few measures' names hold tells whom a measure is for (残疾人)
KIN_RATIO = 0.5          # ... and its topic scores at least this share of the best topic's


@dataclass
class _Turn:
    """One question being answered: what it says, and what the conversation knows."""

    q: Prepared
    ev: Evidence
    result: MatchResult
    place_text: str                   # the question with measure names that hold a place form taken out
    edges: set[int]                   # word boundaries of place_text
    named: Region | None              # the region the question names
    region: str | None                # ... else the conversation's, else the saved one
    prev: Entry | None                # the previous measure answered
    previous_intent: str | None       # the topic we asked the region for, or said there is nothing
    pending_text: str | None          # the question that opened the topic
    aspect: str | None
    residue: str                      # what is left without aspect phrases, places and filler
    saved: str | None = None          # the worker's saved region
    asked: tuple[str, ...] = ()       # every aspect the words ask, as read (before a withheld or a word of the card)
    back: bool = False                # `prev` is the measure before the previous one, named again by its words
    someone: str | None = None        # where someone else spoken of is, or the family's home place


class Matcher:
    """Create once per knowledge base; picks up changes to it without a restart."""

    def __init__(self, kb: KnowledgeBase, resources: Resources | None = None, *, background: bool = False) -> None:
        self.kb = kb
        self.background = background          # rebuild after an edit in a thread, answering from the old index
        self._building: threading.Thread | None = None
        self._building_version = -1
        self.gazetteer = kb.gazetteer
        self.resources = resources or Resources.load()
        words = set(self.resources.greetings) | {a for r in self.gazetteer.regions.values() for a in r.aliases}
        words |= set(self.gazetteer.names_weak_names_could_swallow())
        for terms in self.resources.lexicon.values():
            words |= set(terms)
        words |= set(self.resources.out_of_scope)
        for phrases in self.resources.followups.values():
            words |= set(phrases)
        self.pipeline = TextPipeline(self.resources, self.gazetteer, Segmenter(words))
        self.reading = Reading(self.resources, self.pipeline)
        self.ranker = Ranker(self.gazetteer, self.pipeline.segmenter.pieces, self.resources.aspect_answers,
                             self.resources.employers, self.resources.staying)
        self.thread = Thread(self.pipeline, self.reading, self.ranker, self.gazetteer)
        self.heard = HeardPlaces(self.gazetteer, self.pipeline.segmenter)
        self.clauses = Clauses(self.resources, self.reading)
        self.whereabouts = Whereabouts(self.gazetteer, self.ranker, self.pipeline.segmenter.cut)
        self._index: KBIndex | None = None
        self._version = -1

    # ------------------------------------------------------------------ index
    @property
    def index(self) -> KBIndex:
        """The prepared knowledge base, rebuilt when the knowledge base changed.

        In the background mode (the bot), an edit starts a rebuild in a thread and questions
        are answered from the previous index until the new one is swapped in, so a big
        knowledge base never stalls the event loop; the first build is always done at once."""
        version = self.kb.version()
        if self._index is not None and version == self._version:
            return self._index
        if self._index is None or not self.background:
            self._index, self._version = KBIndex(self.kb.entries(), self.resources, self.pipeline), version
        elif (self._building is None or not self._building.is_alive()) and version != self._building_version:
            entries = self.kb.entries()          # read here: the database connection stays on this thread
            self._building_version = version
            self._building = threading.Thread(target=self._rebuild, args=(entries, version),
                                              name="matcher-index", daemon=True)
            self._building.start()
        return self._index

    def _rebuild(self, entries: list[Entry], version: int) -> None:
        try:
            index = KBIndex(entries, self.resources, self.pipeline, fit_elsewhere=True)
        except Exception:                        # keep answering from the old index; the next edit retries
            logging.getLogger(__name__).exception("rebuilding the matcher index failed")
            return
        self._index, self._version = index, version

    def wait_for_index(self, timeout: float | None = None) -> KBIndex:
        """The index after any rebuild under way has finished (for tools and tests)."""
        _ = self.index
        if self._building is not None:
            self._building.join(timeout)
        return self.index

    # ------------------------------------------------------------------ match
    def match(self, text: str, region: str | None = None, previous: str | None = None,
              context_region: str | None = None, previous_intent: str | None = None,
              pending_text: str | None = None, earlier: str | None = None, someone: str | None = None) -> MatchResult:
        """The best answer for `text`, given the saved region, the previous topic (entry id), the
        region the conversation is about (named in an earlier turn; beats the saved one), the
        previous topic's intent when no measure was given (we asked where the worker is) and the
        question that opened the topic, which ranks the answers once the region is known or
        when the region switches; `earlier` is the measure talked about before the previous one
        ("那个补贴要啥材料" after the dinner: back to the subsidy); `someone` is where someone else
        spoken of is (我儿子在芙蓉区), or the family's home place, for a turn about them ("他那边流量送不送")."""
        index = self.index        # a rebuild after a knowledge-base change is not the question's latency
        start = time.perf_counter()
        read = partial(self._match, index, saved_region=region, previous=previous, context_region=context_region,
                       previous_intent=previous_intent, pending_text=pending_text, earlier=earlier, someone=someone)
        rest = self.reading.without_courtesy(normalize(text))
        said = self.pipeline.prepare(rest, normalized=True, question=True) if rest else None
        if said is not None and self.reading.says_something(said):
            # "你好，我们众包的 没单位啊", "找哪个 谢谢": read without the hello or thanks. When the
            # rest asks for no measure and the whole message is thanks ("nb 谢谢"), it is thanks.
            result = read(rest, marks=text, prepared=said)
            if result.kind in COURTESY_ONLY and (whole := read(text)).kind == "greeting":
                result = whole
        else:
            result = read(text)
        if result.fallback and result.text:
            result.pointer = self.resources.pointer(result.text)
        result.latency_ms = round((time.perf_counter() - start) * 1000, 3)
        return result

    def _match(self, index: KBIndex, text: str, saved_region: str | None, previous: str | None,
               context_region: str | None, previous_intent: str | None, pending_text: str | None,
               earlier: str | None = None, someone: str | None = None, marks: str | None = None,
               prepared: Prepared | None = None) -> MatchResult:
        q = prepared or self.pipeline.prepare(normalize(text), normalized=True, question=True)
        typed = text if marks is None else marks
        q.marks = "".join(ch for ch in typed if ch in self.resources.reaction_marks)
        q.question_mark = "?" in typed or "？" in typed
        q.shifted = self.reading.shifts(normalize(typed))
        place_text = q.norm
        for keyword in index.place_like_keywords:          # 留长礼包 names a measure, not 长沙
            place_text = place_text.replace(keyword, " ")
        edges = self.pipeline.segmenter.boundaries(place_text)
        named = self.gazetteer.detect(place_text, edges) or self.heard.find(q)      # 按庆 is 安庆
        if named is not None and (saved_region or context_region) and \
                (back := self.gazetteer.going_back_to(place_text, edges)) is not None and back.name == named.name:
            named = None                 # "单位能帮忙寄年货回四川不": where things go back to, not where the worker is
        if named is None and saved_region and context_region and context_region != saved_region \
                and OWN_PLACE.search(q.canon):
            context_region = None        # "我自己这边 和老板闹翻了": back to where the worker is
        kin_there = None
        if named is None and THEIR_THERE.search(q.norm) and not HERE_SPOKEN_OF.search(q.norm):
            # "我老婆在宿松老家开个小店 她们那边…": where she is, though it is her home place (not "…你们这边能管不")
            named = kin_there = self.gazetteer.someone_elses(place_text, edges) or self.gazetteer.kin_place(place_text, edges)
        theirs = named is None and someone is not None and ABOUT_THEM.search(q.norm) is not None \
            and not ABOUT_ME.search(q.norm)
        if theirs:
            context_region = someone     # "他那边流量送不送" after 我儿子在芙蓉区: there, for him
        region = self.whereabouts.where(named.name if named else None, context_region, saved_region)
        if named is not None and region != named.name and CITY_LEVEL.search(q.norm):
            region = named.name          # "那安庆市里有啥说法": the city itself, not the worker's district in it
        elif named is None and region and CITY_LEVEL.search(q.norm) and (city := self.whereabouts.city_of(region)) != region:
            named, region = self.gazetteer.region(city), city     # "市里呢": the city the worker's district is in
        others_place = self.gazetteer.someone_elses(place_text, edges) if named is not None else None
        if named is not None and COMING_OVER.search(q.norm) and (here := self.whereabouts.where(None, context_region, saved_region)) \
                and (other := others_place or self.gazetteer.kin_place(place_text, edges)) is not None \
                and other.name == named.name:
            named, region = None, here   # "他在仓山上班 他能过来做吗": someone elsewhere coming over, to where the worker is
        result = MatchResult(text=q.norm, intent="out_of_scope", region=region,
                             region_in_text=named.name if named else None)
        own = self.gazetteer.workers_own(place_text, edges) if named is not None else None
        result.said_here = own is not None and own.name == named.name
        if named is not None and others_place is not None:
            result.elsewhere = others_place.name == named.name    # "我兄弟在宣威 他们也是三倍不": for him, this once
        result.elsewhere = result.elsewhere or theirs or kin_there is not None and named is kin_there
        if not q.norm:
            if self.reading.only_positive_marks(text):
                return result.answer("greeting", "greeting", 100.0)     # 👍, [抱拳]: thanks
            result.kind = "empty"
            return result
        prev = index.entries.get(previous or "")
        if theirs and prev is not None and self.ranker.distance(prev, someone) is None:
            # "那他去哪领" after nothing where he is: the topic asked for him there, not the worker's own measure
            prev, previous_intent = None, prev.intent
        stress = self.clauses.stressed(q, index)
        ev = gather(index, q, stress, prev.intent if prev else previous_intent, CONTEXT_POINTS)
        read = self.reading.aspects(q)
        back = self._back_to(index, q, ev, prev, index.entries.get(earlier or ""), read) \
            if prev is not None and not theirs else None
        if back is not None:
            # "那个补贴要啥材料" after the dinner: the turn speaks of the measure before it, by its own words.
            prev = back
            ev = gather(index, q, stress, prev.intent, CONTEXT_POINTS)
        result.learned = {k: round(v, 3) for k, v in ev.learned.items() if v >= 0.01}
        topic = ev.ranked[0][0] if ev.ranked else prev.intent if prev else None
        if named is not None and (here := self.whereabouts.trip_start(index, named, place_text, edges, topic,
                                                                      context_region, saved_region)):
            # "要坐火车回宣威看我妈": the measure is where the trip starts, the worker's place.
            named, region = None, here
            result.region, result.region_in_text = region, None
        aspects = read
        if previous and self.reading.withheld(q):
            aspects = ["contact", *(a for a in aspects if a != "contact")]     # whom to complain to
        if prev is not None and (said := self._word_in_field(index, prev, q)):
            aspects = [said]             # "规上是啥意思": the part of the measure that says it
        result.aspect, result.aspects = (aspects[0] if aspects else None), aspects
        if ev.oos and (aspects or prev):
            # "要带身份证不" asks what to bring, not about identity cards; "户口不在安庆" after a card
            # for workers whose 户籍 is elsewhere speaks of that card; "我男朋友在福州晋安 他那边呢"
            # asks for him there, not about boyfriends; "女朋友 能带她去不" whether she may come along.
            asked = {p for a in aspects for p in self.resources.followups.get(a, ())}
            vocabulary = index.vocabulary[prev.id] if prev else ""
            ev.oos -= sum(hit.term.oos for hit in ev.hits if not hit.by_sound and (
                hit.term.text in asked or vocabulary and hit.term.text in vocabulary
                or (result.elsewhere or "family" in aspects) and hit.term.text in SOMEONE))
        result.candidates = self.ranker.candidates(index, ev.sims, ev.entry_hits, region)
        result.text_content = residue = self.reading.residue(q)
        t = _Turn(q, ev, result, place_text, edges, named, region, prev, previous_intent, pending_text,
                  result.aspect, residue, saved_region, tuple(read), back is not None, someone)
        result = self._in_conversation(index, t) or self._new_question(index, t)
        if result.kind == "out_of_scope" and not result.home and (home := self.gazetteer.home(place_text, edges)) \
                and home.name in self.gazetteer and home.name != result.region:     # (a place we hold measures for)
            result.home_place = home.name      # said in a remark: for "老家那边有人上门帮忙不" later
        if result.kind == "out_of_scope" and result.fallback and prev is not None \
                and not self.reading.put_as_question(q) and not REQUEST.search(q.canon):
            result.remark = True               # answered as a remark, not as a question we cannot answer
        return self.whereabouts.for_origin(index, result, place_text, edges)

    def _in_conversation(self, index: KBIndex, t: _Turn) -> MatchResult | None:
        """A greeting or thanks, then what leans on the conversation: a follow-up ("怎么领？",
        "那迎江区呢", "老婆孩子能去吗"), another measure of the topic, a measure named, the region
        we asked for, or an aspect with nothing to follow."""
        q, ev, result, prev, aspect, residue = t.q, t.ev, t.result, t.prev, t.aspect, t.residue
        if self.reading.closes(q) or self.reading.about_bot(q) or aspect in (None, "more") and not t.named and (
                (self._no_topic_typed(ev) or self._only_addressed(q, ev)) and self.reading.is_greeting(q)
                or ev.oos == 0 and ev.top_lex < STRONG_TERM and self._signs_off(q, ev)):
            # ("请问安庆" names where: not a greeting; "上班去了 拜拜" signs off, 上班 a weak word in passing)
            return result.answer("greeting", "greeting", 100.0)
        if not t.named and prev is not None and ev.ranked and self.whereabouts.at_home(
                index, ev.ranked[0][0], prev, t.place_text, t.edges):
            return None                  # the family's home place, named mid-conversation: a new question there
        # "老婆在安庆 她能领啥": what there is, for someone (an aspect that names no part of a measure).
        general = aspect in (None, "family", "more") and self._is_general(
            q, ev, index.vocabulary[prev.id] if prev else "")
        # (An amount is looked for where the worker is saved only when the turn names no other place:
        # "我表弟在宜秀 他也能拿2000不" asks about 宜秀.)
        other = self.thread.named_measure(index, residue, ev.sims, prev, t.region, None if t.named else t.saved,
                                          aspect) if prev and ev.oos == 0 else None
        if prev and ev.oos == 0 and other is None and (lead := self._what_about(q)) and len(
                [i for i in self._named_by(index, lead)
                 if i != prev.id and self.ranker.distance(index.entries[i], t.region) is not None]) == 1:
            # "交通费呢 我每日乘地铁上班": the one measure named in the opening "what about", told why after it.
            other = self.thread.named_measure(index, lead, ev.sims, prev, t.region, t.saved, aspect)
        if other is not None and self.ranker.restates(prev, other):
            other = None                 # "初四 初五 那几天呢" after 上海's 春节加班工资 (300%, 200%): its card says it
                                         # (the national rule it restates is no other measure; nor a sibling below)
        if prev and ev.oos == 0 and not general and not other and self.thread.continues(
                q, index, ev, prev.intent, aspect, t.named, residue, prev, asked=t.asked):
            another = self.reading.asks_another(q)
            # A place named where the measure holds and the topic has nothing nearer is no region switch.
            switch = t.named is not None and (self.ranker.distance(prev, t.region) is None
                                              or self.thread.nearer(index, prev, t.region))
            if switch and aspect in (None, "more") and ev.top_lex < STRONG_TERM and t.pending_text \
                    and self.reading.has_general_phrase(self.pipeline.prepare(t.pending_text, question=True)):
                # "他那边发啥" then "长沙别的区呢": the general question, asked again there.
                return self.ranker.overview(result, index, t.region)
            # (Care for the family at their home place: its other measures are there, not where the worker is;
            # so is the next one after a measure that does not hold where the worker is, when no place is
            # named: 还有别的不 after the 600元 asked for a brother in 芙蓉区.)
            near = prev.region if (prev.intent in HOME_TOPICS or another and t.named is None) and t.region is not None \
                and self.ranker.distance(prev, t.region) is None else t.region
            asking = self.reading.asked_words(q, aspect) if aspect else ""
            withheld = self.reading.withheld(q)
            # ("那个1000块的补助 快递分拣算一线不": the measure just given, pointed at by its amount.)
            pointed = not another and self.reading.refers_back(q) and any(
                e.id == prev.id for e in self.thread.by_amount(index, q.canon, near or prev.region))
            sibling = None if switch or withheld or pointed else self.thread.sibling(
                index, prev, near, residue, ev, another=another, asked=asking)
            if sibling is not None and not another and self.ranker.restates(prev, sibling):
                sibling = None
            if sibling is None and near != t.region and t.region is not None and not switch and not another \
                    and not withheld and (
                        sibling := self.thread.sibling(index, prev, t.region, residue, ev, asked=asking)):
                near = t.region          # "厂里能帮我寄点年货回去不" after care at home: a measure where the worker is
            if sibling is None and not switch and (given := self._given_by(index, t, prev)) is not None:
                # "单位还另外补吗", "能告他不": a follow-up, answered by what the employer gives on top,
                # or by where to complain.
                self.ranker.pick(result.answer(given.intent, "followup"), index, given.intent, ev.sims,
                                 ev.entry_hits, t.region or prev.region)
                result.followup = True
                return result.lead_with(given)
            if sibling is not None:        # "小卖部开几个钟头" after 粮油保供: the topic's other measure
                # Where the previous measure was, when no region is known (a family's home place).
                self.ranker.pick(result.answer(sibling.intent), index, sibling.intent, ev.sims, ev.entry_hits,
                                 near or prev.region)
                result.region = near if near != t.region else result.region or sibling.region
                return result.lead_with(sibling)
            result.only_one = another and not t.named
            own = ev if len(residue) >= 2 and residue not in index.vocabulary[prev.id] else None
            result = self.thread.followup(result, index, prev, t.region, t.pending_text, own)
            if result.entry is not None and (instead := self.ranker.says_instead(
                    index, result.entry, aspect, t.region)) is not None:
                result.lead_with(instead)    # "过了一年还能告不": the right whose card says how long
            return self._stating(index, result, ev)
        if other is not None and (aspect or t.named or len(q.content) <= 4 or self.reading.asks(q.norm) or self.reading.asks(q.canon)
                                  or self.reading.asks_another(q)):
            # "那交通费呢", "农民工是不是还有个一次性补助": another measure, named, in this conversation.
            self.ranker.pick(result.answer(other.intent), index, other.intent, ev.sims, {}, t.region)
            return result.lead_with(other)
        pending = not prev and t.previous_intent in index.by_intent and ev.oos == 0
        asks_there = pending and t.named is not None and self.reading.is_question(q.canon)
        if pending and t.named and (not asks_there or self.thread.continues(
                q, index, ev, t.previous_intent, aspect, t.named, residue, asked=t.asked)):
            # "我在安庆" after we asked where: the topic asked before, for that region (also when the
            # answer tells more and asks nothing: "长沙芙蓉区 外省的 刚过来找活"); a general question
            # asked before ("留下来有啥好处") gets the overview there.
            if ev.top_lex < STRONG_TERM and (general or t.pending_text and self._general_before(index, t.pending_text)):
                return self.ranker.overview(result, index, t.region)     # (or asked now: "那上海有啥")
            if asks_there and len(residue) > REGION_SWITCH_WORDS:
                # "说回我自己 过年从麒麟开车出去 路上堵不堵": a question of its own, there, ranks the topic's measures
                self.ranker.pick(result.answer(t.previous_intent), index, t.previous_intent, ev.sims, ev.entry_hits,
                                 t.region)
            else:
                self._pick_pending(result.answer(t.previous_intent), index, t.previous_intent, t.region, t.pending_text)
            return result
        if pending and not t.named and not aspect and ev.top_lex < STRONG_TERM and not self.reading.is_question(q.canon) \
                and (home := self.gazetteer.home(t.place_text, t.edges)) is not None \
                and not self.whereabouts.local(index, t.previous_intent, home.name):
            # "我是湖南衡阳的" after we asked where: where the worker is from, not where they are: ask again.
            result.intent, result.fallback, result.followup, result.home = t.previous_intent, False, True, True
            result.region_in_text = home.name
            return self._ask_where(result, index, t.previous_intent)
        if pending and aspect and not t.named and not elsewhere(ev.learned, t.previous_intent) and self.thread.continues(
                q, index, ev, t.previous_intent, aspect, t.named, residue, asked=t.asked):
            # "怎么领？" right after we asked where the worker is (or said there is nothing there):
            # still the same question (with no card shown, unless the model is fairly sure of
            # another topic: "政府那个啥都能问的热线是多少" after no red packets there).
            result.intent, result.fallback, result.followup = t.previous_intent, False, True
            if t.region is None:
                self._ask_where(result, index, t.previous_intent)
            else:
                result.kind = "measure"
                self._pick_pending(result, index, t.previous_intent, t.region, t.pending_text)
            return result
        if aspect and ev.top_lex == 0 and not residue and max(
                (p for i, p in ev.learned.items() if i in index.by_intent), default=0.0) < 0.5:
            result.needs_topic, result.kind = True, "needs_topic"   # "怎么领？" with nothing before it
            return result
        return None

    def _new_question(self, index: KBIndex, t: _Turn) -> MatchResult:
        """A greeting, out of scope, an overview, or a topic and its entries for the region."""
        q, ev, result, prev = t.q, t.ev, t.result, t.prev
        top_lex, p_oos, region = ev.top_lex, ev.p_oos, t.region
        # Nothing topical: a greeting, or something we do not cover.
        if self._no_topic_typed(ev) and (self.reading.is_greeting(q) or not t.aspect and not t.named
                                         and self._signs_off(q, ev)) or self.reading.about_bot(q):
            return result.answer("greeting", "greeting", 100.0)
        if prev is not None and t.aspect in (None, "family") and self.reading.reacts(q) and (
                ev.p_chat >= REACTION_CHAT_PROB or q.marks or self.reading.judged(q.canon)
                or all(hit.term.text in index.own_terms[prev.id] for hit in ev.hits)):
            return result                # "哈哈 送了成年外卖 年夜饭还要自己叫外卖 讽刺啊", "只有200份啊 那也太少了",
                                         # "哈哈 抖音还能找工作" (the measure's own words, or no topic word at all):
                                         # a remark, mid-conversation
        # Out-of-scope words outweigh the topic words, or the question asks for advice or taste.
        if ev.oos and ev.oos >= top_lex and not self._model_breaks_tie(ev, top_lex, p_oos):
            result.score = round(min(100.0, ev.oos * 10), 1)
            return result
        # (A measure named by a word of its own, "年味礼包怎么抢", is asked for, unless the model is sure.)
        if self.reading.asks_advice(q, asking=t.aspect not in (None, "more")) and (self.reading.asks_taste(q) or (
                p_oos >= (ADVICE_OOS_PROB_IN_CONVERSATION if prev or self._names_a_measure(ev) else ADVICE_OOS_PROB))):
            return result
        if not ev.ranked:
            return result
        best_intent, best_score = ev.ranked[0]
        # "有啥福利": an overview of the region's measures; "找工作这块有哪些": of one topic's.
        if self._is_general(q, ev, index.vocabulary[prev.id] if prev else ""):
            said, theirs = self._group_measures(index, q) or ("", None)
            self.ranker.overview(result, index, region, sims=ev.sims, entry_hits=ev.entry_hits, only=theirs)
            if theirs is not None and result.kind == "overview" and not any(e.id in theirs for e in result.entries):
                result.group_missing = said      # "麒麟 我们司机有啥": none for drivers there, so all there is
            return result
        if self._is_listing(index, q, ev, best_intent):
            return self.ranker.overview(result, index, region, best_intent)
        # The learned model is sure it asks for no measure and no strong topic word says otherwise.
        # Mid-conversation, or asking for a part of a measure (要带身份证不), a topic word is seldom
        # a near-miss: the model must be much surer.
        seeking = t.aspect in SEEKING_ASPECTS and (t.aspect != "family" or prev or t.previous_intent) \
            or self.reading.checks_hearsay(q)     # "老太太说王庄那边有体检 是真的不": is the measure there
        needed = OOS_PROB_IN_CONVERSATION if (prev or t.previous_intent or seeking) and top_lex >= STRONG_TERM \
            else OOS_PROB
        if t.aspect and top_lex >= STRONG_TERM and p_oos >= needed and t.residue:
            # The part asked about (身份证 to bring, 怎么用) is no topic: judge the rest ("刚才那个体检",
            # "工会的礼券") when it is plainly a topic (an errand's rest, 换身份证 照片自己去照, is not).
            rest = index.model.predict(self.pipeline.prepare(t.residue, normalized=True).features()).get(OOS, 0.0)
            if rest < RESIDUE_TOPIC_PROB:
                p_oos = min(p_oos, rest)
        if p_oos >= needed and top_lex >= STRONG_TERM and (clause := self.clauses.topical(q, ev)) is not None:
            # A long story reads like chit-chat as a whole: judge the clause that names the topic.
            p_oos = min(p_oos, index.model.predict(self.pipeline.prepare(clause, normalized=True).features())
                        .get(OOS, 0.0))
        # A long story names topics in passing: its topic words do not outweigh the model (the
        # asking clause was judged on its own above).
        overrides = float("inf") if self.clauses.story(q) else OOS_OVERRIDES_LEX
        if top_lex >= STRONG_TERM and self._asks_where_to_complain(t):
            overrides = STRONG_TERM      # "菜价涨哩厉害 鸡蛋一斤都九块了 能告不": where to complain about the topic's matter
        if p_oos >= needed and top_lex < overrides and max(ev.intent_sim.values(), default=0.0) < OOS_OVERRIDES_SIM:
            result.score = round(best_score, 1)
            return result
        if best_score < ACCEPT and top_lex < STRONG_TERM or top_lex == 0 and (
                ev.learned.get(best_intent, 0.0) < NO_TERM_PROB and ev.intent_sim.get(best_intent, 0.0) < NO_TERM_SIM):
            result.score = round(best_score, 1)
            return result
        topics = self.clauses.topics(q, index)
        if len(topics) >= 2 and best_intent in topics:      # two questions: the first one asked is the main one
            best_intent = topics[0]
            best_score = ev.scores.get(best_intent, best_score)
        if (held := self._held_by_one(index, t, best_intent)) is not None:
            best_intent, best_score = held, ev.scores.get(held, best_score)
        if (said := self._said_amount(index, t, best_intent)) is not None:
            best_intent, best_score = said, ev.scores.get(said, best_score)
        if prev is not None and not t.named and (kin := self._kin(index, prev, result, best_intent, ev)):
            best_intent, best_score = kin, ev.scores.get(kin, best_score)
        result.answer(best_intent, score=round(min(best_score, 100.0), 1))
        if len(ev.ranked) > 1 and best_score < CONFIDENT and ev.ranked[1][1] >= AMBIGUOUS_RATIO * best_score:
            result.ambiguous = True
            result.candidates = self.ranker.intent_first(result.candidates, [best_intent, ev.ranked[1][0]])
        # (Or help for the family at home where the worker is has none: "家里我哥是残疾人 有没有人能去帮一下"
        # from 厦门, whose family's home place 晋安 helps the disabled.)
        for_family = best_intent in HOME_TOPICS or any(k in q.norm for k in FAMILY) and not self.whereabouts.local(
            index, best_intent, region)
        home = self.gazetteer.home(t.place_text, t.edges) or self.gazetteer.kin_place(t.place_text, t.edges) \
            if for_family else None
        if home is not None and self.whereabouts.local(index, best_intent, home.name) and (
                not t.named or not self.whereabouts.local(index, best_intent, region)
                or home.name != region
                and self.whereabouts.fits_better_at(index, best_intent, home.name, region, ev.sims, ev.entry_hits)):
            # Care for the family left at home (我娃在怀宁老家，有人照看不) is the home place's measure,
            # also when the worker says where they work and nothing is held there for the family, or
            # the home place's measure fits the question better ("在大观饭店打工 娃在怀宁老家没人带").
            region = result.region = result.region_in_text = home.name
            result.home = True
        elif best_intent in HOME_TOPICS and t.named and t.saved and not self.whereabouts.local(index, best_intent, region) \
                and self.whereabouts.local(index, best_intent, t.saved):
            # "在厦门打工 家里老人有人看吗": the family is at home, where the worker saved, not where they work.
            region = result.region = t.saved
            result.home = True
        elif (not self.whereabouts.local(index, best_intent, region) or HOME_SPOKEN_OF.search(q.norm)) and (
                native := self.gazetteer.home(t.place_text, t.edges)) is not None \
                and self.whereabouts.for_natives_away(index, best_intent, native.name):
            # "我是安庆人 在深圳打工 老家网格员老打电话 这是干啥": nothing held where they work (or the
            # worker asks what their home place has: 老家有个驻外服务站), and what the home place does
            # for its people working elsewhere answers.
            region = result.region = result.region_in_text = native.name
            result.home = True
        elif best_intent in WORK_TOPICS and (goal := self.whereabouts.work_sought_at(t.place_text)) is not None and goal.name != region \
                and self.whereabouts.local(index, best_intent, goal.name):
            # "在上海干了几年 今年想回安庆找个活": work is sought where the worker goes, not where they are.
            region = result.region = result.region_in_text = goal.name
        elif (region is None or not t.named and (not t.saved or HOME_SPOKEN_OF.search(q.norm))) \
                and not OWN_PLACE.search(q.canon) and t.someone and best_intent in KEPT_AT_HOME \
                and self.whereabouts.local(index, best_intent, t.someone) and (
                    HOME_SPOKEN_OF.search(q.norm) or any(k in q.norm for k in KIN)
                    or t.prev is not None and t.prev.region == t.someone):
            # (The family's place only when the turn speaks of home or family, or follows a measure there:
            # "我身上没钱了" after the home place said in passing is the worker's own matter.)
            # "听说残疾人还有慰问金" after care for a disabled brother at home in 晋安, with nowhere
            # else known but where the worker works: the family's place again.
            region = result.region = t.someone
            result.home = True
        if result.home and t.named is not None and t.named.name != region and not result.elsewhere:
            result.works_in = t.named.name     # "我是怀宁的 在上海工地上干活": the next turn is about them there
        own_hits = self._own_term_hits(index, ev, best_intent)
        self.ranker.pick(result, index, best_intent, ev.sims, own_hits, region)
        if result.home and (away := self.whereabouts.for_those_away(result, region, q)) is not None:
            result.lead_with(away)
        if (hotline := self._hotline_for(index, t, result)) is not None:
            # "有没有专门管工资社保的热线": the hotline whose card names what it is for (12333: 工资、社保)
            self.ranker.pick(result.answer(hotline.intent), index, hotline.intent, ev.sims, ev.entry_hits, region)
            result.lead_with(hotline)
        if result.entry is not None and self._asks_where_to_complain(t) and (
                place := self._complaint_measure(index, result, region)) is not None:
            result.lead_with(place)      # "超市乱涨价打哪个电话": where to complain, the nearest first
        second = [topic for topic in topics if topic != best_intent]
        if second:
            other = MatchResult(text=q.norm, intent=second[0], region=region)
            self.ranker.pick(other, index, second[0], ev.sims, ev.entry_hits, region)
            result.also = [other.entry] if other.entry is not None else []
        return result

    def _kin(self, index: KBIndex, prev: Entry, result: MatchResult, best_intent: str, ev: Evidence) -> str | None:
        """"那有没有慰问金" after a card for disabled people: the measure that fits the question best
        and is for the same people (its title shares a word with the previous one's) sets the topic,
        when that topic is a close enough reading of the question and no more than one topic word
        says otherwise ("工资还没发" says 欠薪 plainly)."""
        if (same := self._for_the_same_people(index, prev, ev, best_intent, result.region)) is not None:
            return same
        if not result.candidates:
            return None
        top = result.candidates[0]
        best_here = max((c.score for c in result.candidates if c.intent == best_intent), default=0.0)
        if top.intent == best_intent or top.score < best_here + KIN_MARGIN or ev.lex.get(best_intent, 0.0) > STRONG_TERM or \
                ev.scores.get(top.intent, 0.0) < KIN_RATIO * ev.scores.get(best_intent, 0.0):
            return None
        words = [w for w in self.pipeline.segmenter.pieces(prev.title) if len(w) >= 2 and is_cjk(w[0])]
        title = index.entries[top.entry_id].title
        return top.intent if any(w in title for w in words) else None

    def _for_the_same_people(self, index: KBIndex, prev: Entry, ev: Evidence, best_intent: str,
                             region: str | None) -> str | None:
        """"听说还有慰问金" after care for the disabled at home: the one measure there whose title says the
        one strong word typed (慰问金) and a rare word of the previous title (残疾人) is another topic's."""
        typed = {h.term.text for h in ev.hits if not h.by_sound and h.term.intents.get(best_intent, 0.0) >= STRONG_TERM}
        if len(typed) != 1:
            return None
        word = typed.pop()
        rare = index.remember(("rare title words", prev.id), lambda: [
            w for w in self.pipeline.segmenter.pieces(prev.title) if len(w) >= 2 and is_cjk(w[0])
            and len(index.holding("names", w)) <= RARE_NAME])
        stem = word[:2] if len(word) == 3 else word     # (慰问金 is said in a title as 慰问)
        same = [e for i in index.holding("names", stem) if (e := index.entries[i]).id != prev.id
                and any(w in e.title for w in rare) and stem in e.title
                and self.ranker.distance(e, region or prev.region) is not None]
        return same[0].intent if len(same) == 1 and same[0].intent != best_intent else None

    def _word_in_field(self, index: KBIndex, prev: Entry, q: Prepared) -> str | None:
        """The aspect whose field of the previous measure holds the word whose meaning is asked."""
        word = self.reading.word_asked(q)
        if word is None or len(word) < 2:
            return None
        # The word whole, else its longest head a field holds ("规上企业": the card says 规上工业企业;
        # not "民营企业" for the card's 企业).
        pieces = [word[:n] for n in range(len(word), 1, -1)]
        return next((aspect for piece in pieces for aspect in WORD_FIELDS
                     if piece in self.thread.field_text(index, prev, aspect)), None)

    def _said_amount(self, index: KBIndex, t: _Turn, best_intent: str) -> str | None:
        """"户口在高风险地区的 留下来给1000是吗": an amount that only one topic's measures give, in
        the nearest region that has it, names that topic when the learned model leans to it at least as much."""
        if t.region is None:
            return None
        said_by = self.thread.by_amount(index, t.q.canon, t.region)
        nearest = [e for e in said_by if self.ranker.distance(e, t.region) == self.ranker.distance(said_by[0], t.region)]
        intents = {e.intent for e in nearest}         # the most specific region's measures say it
        if len(intents) != 1 or best_intent in intents:
            return None
        said = intents.pop()
        learned = t.ev.learned
        return said if said in t.ev.scores and learned.get(said, 0.0) >= learned.get(best_intent, 0.0) else None

    def _back_to(self, index: KBIndex, q: Prepared, ev: Evidence, prev: Entry, earlier: Entry | None,
                 aspects: list[str]) -> Entry | None:
        """The measure talked about before the previous one, when the turn names its amount and not
        the previous measure's ("再问一下那一千块 找谁申请"), or every strong topic word typed is one
        of its own terms and none is the previous measure's ("找谁" names no measure); said to go
        back ("还是说回那个补贴"), any topic word typed that its text says and the previous one's does not,
        or with no topic word typed, a word said right after the going back (`_back_word`)."""
        if earlier is None or earlier.intent == prev.intent:
            return None
        said = amount_figures(q.canon)
        if said & amount_figures(earlier.amount or "") and not said & amount_figures(prev.amount or ""):
            return earlier
        if (phrase := next((p for p in self.resources.back_to if p in q.canon), None)) is not None:
            asked = {p for a in aspects for p in self.resources.followups.get(a, ())}
            typed = {h.term.text for h in ev.hits if not h.by_sound and h.term.text not in asked}
            if typed and not any(w in index.vocabulary[prev.id] for w in typed) \
                    and all(w in index.vocabulary[earlier.id] for w in typed):
                return earlier
            if not typed and self._back_word(index, q.canon, phrase, prev, earlier):
                return earlier
        typed = {h.term.text for h in ev.hits if not h.by_sound and max(h.term.intents.values(), default=0.0) >= STRONG_TERM}
        if not typed or any(w in index.vocabulary[prev.id] for w in typed):
            return None
        return earlier if all(w in index.own_terms[earlier.id] for w in typed) else None

    def _back_word(self, index: KBIndex, canon: str, phrase: str, prev: Entry, earlier: Entry) -> bool:
        """Said to go back (`phrase`) with no topic word ("刚才那个课要钱不"): a word said right after the going
        back (课) is in the earlier measure's text and not the previous one's, and none the other way round."""
        named = canon[canon.index(phrase) + len(phrase):].split(" ")[0]
        words = self.pipeline.segmenter.cut(self.reading.residue(self.pipeline.prepare(named, normalized=True,
                                                                                       question=True)))
        theirs, before = index.vocabulary[earlier.id], index.vocabulary[prev.id]
        return any(w in theirs and w not in before for w in words) and not any(
            w in before and w not in theirs for w in words)

    def _held_by_one(self, index: KBIndex, t: _Turn, best: str) -> str | None:
        """Of two topics that score nearly alike, the other one when one of its measures for the
        region says more of the topic words typed ("我弟是残疾人 他过年有慰问没": the disabled's
        New Year visit says both 残疾人 and 慰问; the red packets say only 慰问)."""
        ranked = t.ev.ranked
        if len(ranked) < 2:
            return None
        other = ranked[1][0] if ranked[0][0] == best else ranked[0][0]
        typed = {h.term.text for h in t.ev.hits if not h.by_sound}
        if len(typed) < 2 or other in NOT_TOPICS or other not in index.by_intent:
            return None

        def said(intent: str) -> int:       # the most of the words one measure for the region says
            counts = Counter(i for w in typed for i in self._owning(index, intent, w))
            return max((n for i, n in counts.items() if self.ranker.distance(index.entries[i], t.region) is not None),
                       default=0)

        def closest(intent: str) -> float:  # how close the wording of the topic's nearest measure is
            return max((v for i, v in t.ev.sims.items() if index.entries[i].intent == intent), default=0.0)

        theirs, ours = said(other), said(best)
        if theirs <= ours:
            return None
        if ranked[1][1] >= HELD_RATIO * ranked[0][1]:
            return other
        # The other scores far less: still it, if no measure of the first says a word typed, one of
        # the other's says two, and its wording is closer ("公司会不会帮我给老家爸妈送点年货": the care
        # for families says none of it; the company's New Year goods for families say 父母 and 年货).
        return other if ours == 0 and theirs >= 2 and closest(other) > closest(best) else None

    @staticmethod
    def _own_term_hits(index: KBIndex, ev: Evidence, intent: str) -> dict[str, float]:
        """Keyword hits, plus for each measure of the topic the share of the topic's words typed
        that its own terms say, at OWN_TERMS_HIT ("工资要拖到年后 这种情况找谁": the wage arrears
        campaign says 工资 and 欠薪; the anti-fraud talk only mentions 工资 in passing)."""
        typed = {h.term.text for h in ev.hits if not h.by_sound and h.term.intents.get(intent, 0.0) > 0}
        if not typed:
            return ev.entry_hits
        hits = dict(ev.entry_hits)
        for word in typed:
            for entry_id in Matcher._owning(index, intent, word):
                hits[entry_id] = hits.get(entry_id, 0.0) + OWN_TERMS_HIT / len(typed)
        return hits

    @staticmethod
    def _owning(index: KBIndex, intent: str, word: str) -> tuple[str, ...]:
        """The topic's measures whose own terms say the word."""
        return tuple(i for i in index.holding("own_terms", word) if index.entries[i].intent == intent)

    @staticmethod
    def _named_by(index: KBIndex, words: str) -> tuple[str, ...]:
        """The measures whose names (title, keywords) hold the words."""
        return index.holding("names", words)

    def _what_about(self, q: Prepared) -> str | None:
        """"交通费呢 我每日乘地铁上班": what the opening clause asks about, when it is a "what about"
        (X呢) followed by more."""
        clauses = q.canon.split()
        if len(clauses) < 2 or not clauses[0].endswith("呢"):
            return None
        lead = self.reading.residue(self.pipeline.prepare(clauses[0], normalized=True, question=True))
        return lead if len(lead) >= 2 else None

    @staticmethod
    def _names_a_measure(ev: Evidence) -> bool:
        """A word typed that only one or two measures have (年味礼包, 年夜饭礼盒): it names them."""
        return any(not hit.by_sound and not hit.term.oos and 0 < len(hit.term.entries) <= NAMING_ENTRIES
                   for hit in ev.hits)

    def _signs_off(self, q: Prepared, ev: Evidence) -> bool:
        """"好了我去忙了谢谢", "唉 先这样吧 谢谢你": the learned model is sure it is thanks or goodbye
        (its greeting class learns from such lines), and nothing is asked."""
        return ev.learned.get("greeting", 0.0) >= GREETING_PROB and not self.reading.asks(q.canon) \
            and self.reading.signs_off(q)

    def _stating(self, index: KBIndex, result: MatchResult, ev: Evidence) -> MatchResult:
        """A follow-up asking a part of the measure ("要带啥材料"): the place's other measures of the
        topic that state that part, the ones the conversation's words fit best first (shown under
        the answer: the worker may mean one of them)."""
        entry, aspect = result.entry, result.aspect
        if result.kind != "followup" or entry is None or aspect in (None, "more"):
            return result
        others = [e for e, _ in self.ranker.applicable(index, entry.intent, entry.region)
                  if e.id != entry.id and e.region == entry.region
                  and aspect_answer(e, aspect, validity_text(e), result.text or "")[2]]
        result.stating = heapq.nlargest(STATING, others, key=lambda e: (self.ranker.entry_score(e, ev.sims, ev.entry_hits), e.id))
        return result

    def _hotline_for(self, index: KBIndex, t: _Turn, result: MatchResult) -> Entry | None:
        """A hotline asked for about something (社保的事打哪个) when the answer would be a general
        help line: the national hotline whose card names more of the turn's words than any other."""
        if result.intent != "service_station" or not HOTLINE_ASKED.search(t.q.canon):
            return None
        hotlines = index.remember(("national hotlines",), lambda: [
            e for e in index.entries.values() if e.region == ROOT and TITLE_HOTLINE.match(e.title)])
        words = {w for w in self.pipeline.segmenter.cut(t.q.canon) if len(w) >= 2 and is_cjk(w[0])
                 and not HOTLINE_ASKED.search(w) and w not in self.resources.stopwords}
        named = sorted(((sum(w in f"{e.title}{e.answer}" for w in words), e.id, e) for e in hotlines), reverse=True)
        if not named or named[0][0] == 0 or len(named) > 1 and named[1][0] == named[0][0]:
            return None
        return named[0][2] if named[0][2] is not result.entry else None

    @staticmethod
    def _model_breaks_tie(ev: Evidence, top_lex: float, p_oos: float) -> bool:
        """Out-of-scope words weigh just as much as the topic's ("欠薪能报警不": 报警 and 欠薪), and the
        learned model is sure of that same topic: the topic wins ("领失业金那段时间 医保谁交")."""
        return ev.oos == top_lex and p_oos < TIE_OOS_PROB and bool(ev.ranked) and bool(ev.learned) \
            and max(ev.learned, key=ev.learned.__getitem__) == ev.ranked[0][0]

    @staticmethod
    def _no_topic_typed(ev: Evidence) -> bool:
        """No topic word typed: none at all, or only heard by sound (好人一生平安 is no 医生)."""
        return ev.oos == 0 and (ev.top_lex == 0 or all(hit.by_sound for hit in ev.hits))

    def _only_addressed(self, q: Prepared, ev: Evidence) -> bool:
        """The only topic words typed are how the worker addresses us, in a clause of thanks ("谢谢你啊伢":
        伢 is 孩子; not "好的谢谢 孩子没人管")."""
        words = {hit.term.text for hit in ev.hits}
        if ev.oos or not words <= self.resources.greeting_filler:
            return False                 # (the clauses are read only for the few turns that get here)
        clauses = self.reading.clauses(q)
        return all(any(w in c and self.reading.greets_only(c) for c in clauses) for w in words)

    def _ask_where(self, result: MatchResult, index: KBIndex, intent: str) -> MatchResult:
        """Ask where the worker is, offering the places that have the topic's measures."""
        result.kind, result.needs_region = "ask_region", True
        result.region_options = self.ranker.region_list({index.entries[i].region for i in index.by_intent[intent]})
        return result

    def _asks_where_to_complain(self, t: _Turn, *, besides: tuple[str, ...] = ("validity", "cost")) -> bool:
        """"能告他不", "去哪投诉", "有人管没": where to complain is asked (not how long it may
        wait or what it costs; mid-topic, not what to bring either: that is the card's own)."""
        return any(w in t.q.canon for w in self.resources.complaints) and not set(t.asked) & set(besides) \
            and not self.reading.withheld(t.q)

    def _complaint_measure(self, index: KBIndex, result: MatchResult, region: str | None) -> Entry | None:
        """Of the topic's ranked measures, the nearest one named for complaints (价格投诉), when
        it is not the one answering already and is at least as near."""
        names = self.resources.complaint_names
        named = [e for e in result.entries if any(w in index.names[e.id] for w in names)]
        if not named or result.entry is None:
            return None
        where = region or result.entry.region
        best = min(named, key=lambda e: self.ranker.distance(e, where) or 0)
        here = self.ranker.distance(result.entry, where) or 0
        return best if best.id != result.entry.id and (self.ranker.distance(best, where) or 0) <= here else None

    def _given_by(self, index: KBIndex, t: _Turn, prev: Entry) -> Entry | None:
        """The topic's measure a follow-up asks for by who gives it or what it is for: what the
        employer gives on top ("厂里还另外补不"), where to complain ("能告他不", unless it asks
        how long or what to bring)."""
        res = self.resources
        if self.reading.asks_top_up(t.q):
            return self.thread.measure_named_by(index, prev, t.region, t.ev.sims, res.employers)
        if any(w in t.q.canon for w in res.government) and self.ranker.employers_give(prev) \
                and not OBLIGED.search(t.q.canon):
            # "那zf自己发的呢" after what employers give: what the government itself gives (but "是zf
            # 规定必须发的吗" asks whether employers must).
            return self.thread.measure_named_by(index, prev, t.region, t.ev.sims, res.employers, without=True)
        if self._asks_where_to_complain(t, besides=("validity", "cost", "materials", "amount", "how_to_claim", "family",
                                                    "more")):
            return self.thread.measure_named_by(index, prev, t.region, t.ev.sims, res.complaint_names, keywords=True)
        return None

    def _pick_pending(self, result: MatchResult, index: KBIndex, intent: str, region: str | None,
                      question: str | None) -> None:
        """Entries for a topic asked before the region was known, ranked by that question."""
        sims: dict[str, float] = {}
        hits: dict[str, float] = {}
        if question:
            q = self.pipeline.prepare(normalize(question), normalized=True, question=True)
            sims = similarities(index, q)
            _, _, hits = term_evidence(index.terms.scan(q.canon, q.syl, q.chars))
        self.ranker.pick(result, index, intent, sims, hits, region)

    def for_intent(self, intent: str, region: str, question: str | None = None) -> MatchResult:
        """The answer to a topic in a region (a region chosen after we asked for it)."""
        result = MatchResult(text="", intent=intent, region=region, fallback=False, score=80.0, kind="measure")
        self._pick_pending(result, self.index, intent, region, question)
        if result.entry is None and result.kind == "measure":
            result.fallback, result.kind = True, "out_of_scope"
        return result

    def _is_general(self, q: Prepared, ev: Evidence, card: str = "") -> bool:
        """"有啥福利", "留下来有啥好处": asks what there is, with no particular topic (in words the
        card just shown does not use)."""
        if not self.reading.has_general_phrase(q, card):
            return False
        if not q.content and not ev.lex:
            return True                  # "宜秀区这边有啥": nothing but what there is, whatever the model guesses
        # What is on offer is never the epidemic rules of staying, however much the words of staying
        # (留宜过年, 不回老家) make the model think of them.
        specific = max((p for i, p in ev.learned.items() if i not in OFFER_NEUTRAL and i not in NOT_TOPICS),
                       default=0.0)
        # (The family who told the worker to stay is no topic: "爸妈叫我别回去 …… 这边都有啥福利".)
        told_by = [h for h in ev.hits if h.term.text in FAMILY] if KIN_TOLD.search(q.canon) else []
        top = max(term_evidence([h for h in ev.hits if h not in told_by])[0].values(), default=0.0) \
            if told_by else ev.top_lex
        return top < STRONG_TERM and specific < GENERAL_SPECIFIC_PROB

    def _group_measures(self, index: KBIndex, q: Prepared) -> tuple[str, frozenset[str]] | None:
        """The group of workers the question names ("我们司机", "环卫工"), as the notices name it, and its
        measures: those whose title, who qualifies or text names it so; None when it names no group."""
        for says, named in self.resources.groups:
            if any(w in q.canon for w in says):
                return named[0], index.remember(("group", named), lambda named=named: frozenset(
                    e.id for e in index.entries.values()
                    if any(w in f"{e.title} {e.eligibility or ''} {e.answer}" for w in named)))
        return None

    def _general_before(self, index: KBIndex, text: str) -> bool:
        """The question asked before the place was known was a general one with no topic of its own
        ("留下来有啥好处"; not "找工作有啥政策", one topic's measures; the words of staying are none)."""
        lex, _, _ = self.clauses.terms_in(index, text)
        topical = max((w for i, w in lex.items() if i not in OFFER_NEUTRAL), default=0.0)
        return topical < STRONG_TERM and self.reading.has_general_phrase(
            self.pipeline.prepare(text, question=True))

    def _is_listing(self, index: KBIndex, q: Prepared, ev: Evidence, intent: str) -> bool:
        """"学技术这块有啥政策": a list of one topic's measures, the topic said in the clause that asks for
        the list ("爸妈也叫我别回了 …… 这边都有啥福利啊" asks for no list of family care)."""
        if not (ev.lex.get(intent, 0.0) >= STRONG_TERM and self.reading.has_listing_phrase(q)
                and self.reading.has_general_phrase(q)):
            return False
        clauses = self.reading.clauses(q)
        if len(clauses) < 2:
            return True
        listing = [c for c in clauses if self.reading.lists(c)]
        return any(self.clauses.terms_in(index, c)[0].get(intent, 0.0) > 0 for c in listing)

    def region_of(self, text: str) -> Region | None:
        """A region named in free text."""
        text = normalize(text)
        return self.gazetteer.detect(text, self.pipeline.segmenter.boundaries(text))
