"""Keeping the thread of a conversation: does a turn lean on the previous measure, move to
another measure of the same topic, name another measure, or switch the region?

A turn continues the previous measure when it names an aspect, a region or nothing of its own,
or tells or asks about the worker's case, and has no topic of its own, unless it is plainly
chit-chat. Words of the previous measure itself are not a topic of their own (我老家不是中高风险
的能拿不, after a card about 中高风险地区户籍员工); what is left once aspect phrases, places and
filler are gone is judged on its own ("芙蓉区隆平园上班" after we asked where: 隆平园 is no
topic, whatever 上班 suggests in the whole sentence).
"""

from __future__ import annotations

import heapq
import re
from collections import defaultdict

from intents.evidence import SPECIFIC_SIM, Evidence, chat_share, similarities, term_evidence
from intents.evidence import overlap as word_overlap
from intents.index import STRONG_TERM, KBIndex, Prepared, TextPipeline
from intents.learned import NOT_TOPICS
from intents.normalize import normalize
from intents.ranking import RELEVANT_MARGIN, TEXT_RERANK, Ranker
from intents.reading import Reading
from intents.result import MatchResult
from knowledge.gazetteer import ROOT, Gazetteer, Region
from knowledge.models import Entry

CHITCHAT_PROB = 0.7      # mid-conversation, a turn this surely chit-chat is not a follow-up (the learned
                         # model has a class of its own for follow-ups)
WHO_WORD_SHARE = 0.05    # ... a word at most this share of all measures' eligibility says
STATED_WHO_CHARS = 6     # a turn this short saying a word of the measure's eligibility says who the worker is
CASE_OVERLAP = 0.5       # share of a follow-up's word pairs found in the previous measure's text: the worker's case
SIBLING_SCORE = 70.0     # a follow-up fits another measure of the topic this well ...
SIBLING_MARGIN = 15.0    # ... and this much better than the previous one: that measure answers
SIBLING_MIN_WORDS = 3    # ... unless its own words are fewer and the previous measure's text holds them
SIBLING_WORDS = 0.5      # ... or its text holds this share of the turn's word pairs ...
SIBLING_WORDS_MARGIN = 0.25   # ... this much more than the previous measure's text does
_FIGURE = re.compile(r"\d{2,}")   # an amount's figures (500, 2000)
_UNIT = re.compile(r"(\d{2,})(?:多|来)?(?:(块|元)|(%|％)|(号人|个人|人|名|斤|公斤|天|岁|个月|次|趟|公里|平|米))")
# ... said as money (200块), a share (200%), or a count of something else (300来号人, 50斤): no amount
#: "她在大观那边超市当收银员 能不能也领", "我老婆在上海浦东超市做收银": where someone works, told as their
#: case (超市 is no topic there); not an errand done somewhere (在医院做体检).
WORKS_AT = re.compile(r"在[^ ]{1,8}?(?:当[^ ]{1,4}|做(?:事|工|活|保安|保洁|收银|服务员|护工|家政|厨师|帮厨|小工|销售|普工|杂工)"
                      r"|上班|打工|干活)")
#: "包工头说他不晓得 那找哪个问": who told the worker they do not know (or have none of it), not a topic.
TOLD_NO = re.compile(r"(包工头|工头|老板|班长|组长|班组长|人事|领导|经理|主管|站长|院长|厂里|公司|单位|(?:他|她)们?)"
                     r"(?:也)?说(?:他|她|他们|她们)?(?:也)?(?:不晓得|不知道|不清楚|不懂|没有|没这个|没听说|不管)")
MOVES = re.compile(r"留|回|去|走")   # a choice of places with these is whether to stay or go, not where a measure holds
A_NOT_A = re.compile(r"(?:([\u4e00-\u9fff])[不没]\1|有没有?)$")   # 有没有, 交没交, 是不是 right before a word: asked, not lacked
LACKING = ("没有", "没", "不是", "未", "没交", "没参加", "没买")   # right before a word: the worker lacks it
AMOUNT_DIGITS = 3        # a figure this long names a measure by its amount (20 is 20天 as often as 20G)
REGION_SWITCH_WORDS = 6  # a turn naming a region, with no topic of its own and this little else, switches region
SIBLING_OWNERS = 2       # a topic word only this many of the topic's other measures say names them
REMARK_PROB = 0.95       # a turn asking nothing that the model is this sure is chit-chat is a remark, places and all
SHORT_RESIDUE = 4        # what is left of a turn is this short: a few words more than the part asked
CERTAIN_PROB = 0.9       # the learned model is all but certain
ELSEWHERE_PROB = 0.5     # the learned model is this sure a turn is about another topic: it is fairly sure
RIVAL_TERM = 2.0         # a weaker word of another topic typed ...
RIVAL_PROB = 0.2         # ... that the learned model leans to this much, and not to the previous topic: a new topic
LEANS_PROB = 0.4         # ... or the model leans this much to any other topic (点外卖还有人送吗 after unemployment pay)
RESIDUE_SUPPORT = 0.05   # what is left of a turn that reads as another topic leans on the previous one this little: a new topic
RESIDUE_SURE = 0.7       # ... or this surely leans on another topic whose word the turn types: a new topic
KEYWORDS_BUILT_ON = 2    # a word this many of a measure's keywords hold is what the measure is about
ASPECT_RESIDUE = 3       # an aspect asked with this little else names no other measure by its wording
NAME_GAP = 2             # a turn's words this few characters apart in a measure's name name it (工会券: 工会礼券)
TITLE_HEAD = 4           # a title's head this long names its measure when a turn says it
ELDER = "老人"             # what the family's old people (奶奶, 老娘) are called in the measures
RARE_ENTRIES = 3         # a word this few measures' texts say tells which of them a follow-up is about


class Thread:
    """The conversation rules, over the matcher's pipeline, phrase reading and ranking."""

    def __init__(self, pipeline: TextPipeline, reading: Reading, ranker: Ranker, gazetteer: Gazetteer) -> None:
        self.pipeline = pipeline
        self.reading = reading
        self.ranker = ranker
        self.gazetteer = gazetteer
        #: The worker's case asked about (带娃, 低风险), as typed and as rewritten (带孩子).
        self.conditions = frozenset(c for p in reading.resources.conditions for c in (p, reading.resources.canon(p)))

    def field_text(self, index: KBIndex, entry: Entry, field: str) -> str:
        """A field of a measure (whom to call, who may), rewritten as questions are, once per index."""
        return index.remember(("field", entry.id, field),
                              lambda: self.reading.resources.canon(normalize(getattr(entry, field) or "")))

    def continues(self, q: Prepared, index: KBIndex, ev: Evidence, prev_intent: str, aspect: str | None,
                  named: Region | None, residue: str, prev: Entry | None = None, *,
                  asked: tuple[str, ...] = ()) -> bool:
        """Does this turn lean on the previous one (see the module's docstring)? `asked`: every
        part of a measure the turn asks, as `Reading.aspects` reads them."""
        if self.reading.gives_up(q):
            return False                 # "单位不发那也冇得办法": giving up, nothing asked
        if prev is not None and self.reading.withheld(q):
            return True                  # "老板不给去哪投诉": whom to turn to about it
        word = self.reading.word_asked(q) if prev is not None else None
        if word is not None and len(word) >= 2 and word in index.vocabulary.get(prev.id, ""):
            return True                  # "规上是啥意思": a word of the measure just answered
        advice = self.reading.asks_advice(q)
        if advice and self.reading.asks_taste(q):
            return False                 # "年夜饭吃鱼有啥讲究": taste is never a measure's
        vocabulary = index.vocabulary.get(prev.id, "") if prev else ""
        # A choice between two ("流量是全国的还是本地的"): which sides say the measure's words, and whether
        # both name where it holds (全国, 省内, a place; not 留本地 or 回河南: whether to stay or go).
        choice = self.reading.alternatives(q) if vocabulary else None
        sides_said = [any(len(w) >= 2 and w in vocabulary for w in self.pipeline.segmenter.cut(side))
                      for side in choice] if choice else []
        reaches = choice is not None and all(self._names_where(side) for side in choice)
        asks = bool(aspect) or self.reading.asks(q.canon) or q.question_mark and self.reading.asks_another(q) \
            or reaches or bool(sides_said) and all(sides_said)      # "是全国的还是省内的啊": a choice asks
        told = bool(vocabulary and residue) and (word_overlap(residue, vocabulary) >= CASE_OVERLAP
                                                 or not asks and self._states_who(index, prev, residue))
        if not (asks or named or told or ev.p_chat < CHITCHAT_PROB):
            return False                 # a statement of its own
        if self.reading.reacts(q) and (not aspect or aspect == "family"):
            return False                 # "才50个 轮不到我 笑死": a remark on what was said
        said_no = TOLD_NO.search(q.canon)       # who told the worker they do not know, or have none
        if not aspect and said_no is not None and said_no.group(0).endswith(("没有", "没这个")) \
                and len(q.canon) - len(said_no.group(0)) <= 1:
            return False                 # "老板说没有": told there is none, and nothing asked ("老板说不知道" asks whom then)
        if q.shifted and not aspect and not told and not named and not self.reading.refers_back(q) \
                and not self.reading.asks_another(q):
            return False                 # "对了 腰疼的很 有没有免费按一按的地方": another matter
        if not residue or aspect and len(residue) <= 1 and len(q.content) <= 4:
            return True                  # "在哪找": a short turn, the aspect and one character more
        if aspect and len(residue) <= 2 and len(q.content) <= 4 and not any(
                w >= STRONG_TERM for hit in ev.hits for i, w in hit.term.intents.items() if i != prev_intent):
            return True                  # "几点开门" after the venues: the aspect and a weak word of another topic
        own: dict[str, float] = defaultdict(float)
        asking_all = self.reading.asking_phrases(q, asked)
        lacking: list[str] = []
        # ("我老婆在家带娃 她能领不" asks who may, though it names family first.)
        conditions = self.conditions if aspect == "eligibility" or "eligibility" in asked else frozenset()
        asking = self.reading.asked_words(q, aspect) if aspect in ("family", "place") else ""
        cased = False                    # a topic word of the turn is the worker's case (带娃)
        works_at = " ".join(WORKS_AT.findall(q.canon)) if conditions or aspect == "family" or named else ""
        teller = said_no.group(1) if aspect == "contact" and said_no is not None else ""
        # "老板回老家了我看店 这个有我的份不": a last clause that points at the measure and asks a part of it;
        # the story before it is the worker's case.
        last = self.reading.clauses(q)[-1] if aspect and prev is not None else ""
        pointed = last != q.canon and self.reading.points_back(last) and self.reading.is_question(last)
        for hit in ev.hits:
            if pointed and hit.term.text not in last:
                continue
            cased = cased or hit.term.text in conditions
            if prev and hit.term.text in index.own_terms[prev.id] or hit.term.text in conditions:
                continue                 # the measure's own words, or the worker's case asked about
            if hit.term.text in asking or hit.term.text in works_at or hit.term.text in teller:
                continue                 # "老公孩子能一起住不": who may come, not family care; where one works;
                                         # who said they do not know ("包工头说他不晓得 那找哪个问")
            if aspect == "contact" and prev and hit.term.text in self.field_text(index, prev, "contact"):
                continue                 # "人社那边电话多少" after a card whose contact is 人社: its own part
            if conditions and _lacks(q.canon, hit.term.text):
                lacking.append(hit.term.text)
                continue                 # "我没有失业保险的 能领吗": what the worker lacks is their case
            if hit.term.text in asking_all and (max(hit.term.intents.values(), default=0.0) < STRONG_TERM
                                                or aspect == "materials"):
                continue                 # a weak word that asks the part (找谁, 电话多少), or what to bring or keep
                                         # (要拍照吗 after a price complaint), is no topic of the turn's own
            for intent, weight in hit.term.intents.items():
                if intent != prev_intent:
                    own[intent] += weight * hit.factor
        if max(own.values(), default=0.0) >= STRONG_TERM:
            return False
        leans_away = elsewhere(ev.learned, prev_intent, LEANS_PROB) is not None
        if any(weight >= RIVAL_TERM and (ev.learned.get(rival, 0.0) >= RIVAL_PROB or leans_away)
               for rival, weight in own.items()) and ev.learned.get(prev_intent, 0.0) < RESIDUE_SUPPORT:
            return False                 # "寒假有没有不要钱的网课" after the dinner: another topic's word, and the model leans there
        for word in sorted([*conditions, *lacking], key=len, reverse=True):
            residue = residue.replace(word, "")
        if conditions and not residue:
            return True                  # only the worker's case, asked about: 低风险，有份不
        if prev and residue in index.names[prev.id]:
            return True                  # "有补贴吗" after 培训和培训补贴: the measure's own name
        if told:
            return True                  # the worker's case, told in the previous measure's words
        if aspect in ("eligibility", "family") and prev and self._eligibility_words(index, prev, residue):
            return True                  # "我不是环卫的 我能跟他一起去不": who may, in the measure's words
        if advice and (any(sides_said) or reaches):
            return True                  # "流量是全国的还是本地的": which of two the measure is ("全国都能用
                                         # 还是只能在安徽用": where it holds)
        if not aspect and advice:
            return False
        if asks and self.reading.refers_back(q) and not own:
            return True                  # "这个是一定会发的吗": it, the measure just given
        if named and not asks and ev.p_chat >= REMARK_PROB and ev.top_lex < STRONG_TERM:
            return False                 # "长沙好冷啊 比南宁冷多了": a remark that names places, asking nothing
                                         # (not "我们王庄街道好像也有体检": a topic's word says what it asks)
        if named and own and elsewhere(ev.learned, prev_intent):
            return False                 # "上海那边留下有补帖吗" after overtime pay: another topic, there
        if named and len(residue) <= REGION_SWITCH_WORDS:
            return True                  # "我哥们在潜山 那边是不是还单独送": the topic, there
        if named and not own and any(not hit.by_sound and hit.term.intents.get(prev_intent, 0.0) >= STRONG_TERM
                                     for hit in ev.hits):
            return True                  # "换成上海呢 俺小舅子在上海也得加班": the topic, by its word, there
        if aspect and not own and not elsewhere(ev.learned, prev_intent, RIVAL_PROB) and self.reading.asks_part_alone(q):
            return True                  # "要钱不 我补颗牙上次花了好几百": the part asked in a clause of its own, then why
        judged = index.model.predict(self.pipeline.prepare(residue, normalized=True).features())
        if aspect and not own and len(residue) <= SHORT_RESIDUE and chat_share(judged) >= RESIDUE_SURE \
                and not elsewhere(ev.learned, prev_intent, CERTAIN_PROB):
            return True                  # "找哪个问比较清楚": the part asked, and words that ask nothing more
                                         # (unless the model is all but certain of another topic: 不知道该找哪个部门…打什么电话)
        # (Unless the turn's topic words are the worker's case: 带娃 in 我老婆在家带娃 她能领不.)
        if elsewhere(ev.learned, prev_intent) and not cased and (
                elsewhere(judged, prev_intent) or judged.get(prev_intent, 0.0) < RESIDUE_SUPPORT):
            return False                 # the turn is about something else, and what is left of it not about this
        if (other := elsewhere(judged, prev_intent, RESIDUE_SURE)) and own.get(other):
            return False                 # what is left is surely another topic whose word is typed (送外卖的 有慰问伐)
        if len(residue) <= SHORT_RESIDUE:
            return True
        # A longer question about the worker's case ("我交社保才半年", "我32了算青年不"), unless
        # the whole turn is plainly chit-chat.
        return ev.p_chat < CHITCHAT_PROB

    def _names_where(self, text: str) -> bool:
        """The text names a place or a reach (全国, 本地, 省内), not a move there (留本地, 回河南: advice on staying)."""
        return not MOVES.search(text) and (any(w in text for w in self.reading.resources.reaches)
                                           or self.gazetteer.detect(text) is not None)

    def _states_who(self, index: KBIndex, prev: Entry | None, residue: str) -> bool:
        """"他用的联通" after a card for the three carriers' users: a short turn that says who the
        worker (or the one they ask for) is, in words of the measure's eligibility that few
        measures' eligibility says (过年, 职工 say nothing of who)."""
        return prev is not None and len(residue) <= STATED_WHO_CHARS and any(
            self._eligibility_share(index, w) <= WHO_WORD_SHARE for w in self._eligibility_words(index, prev, residue))

    def _eligibility_words(self, index: KBIndex, entry: Entry, text: str) -> list[str]:
        """The words of `text` (two characters or more) that the measure's eligibility says."""
        said = self.field_text(index, entry, "eligibility") if entry.eligibility else ""
        return [w for w in self.pipeline.segmenter.cut(text) if len(w) >= 2 and w in said] if said else []

    def _eligibility_share(self, index: KBIndex, word: str) -> float:
        """The share of all measures whose eligibility says the word."""
        return index.remember(("eligibility share", word), lambda: sum(
            word in self.field_text(index, e, "eligibility") for e in index.entries.values()) / max(1, len(index.entries)))

    def sibling(self, index: KBIndex, prev: Entry, region: str | None, residue: str, ev: Evidence, *,
                another: bool = False, asked: str = "") -> Entry | None:
        """Another measure of the same topic for the region that the turn's own words fit much
        better than the previous one, or the next one in the ranking when the turn asks for
        another ("还有别的补助不")."""
        if len(residue) < 2 and not another:
            return None
        sims, entry_hits, where = ev.sims, ev.entry_hits, region or prev.region
        distance = {e.id: d for e, d in self.ranker.applicable(index, prev.intent, where) if e.id != prev.id}
        here = [index.entries[i] for i in distance]
        if not here:
            return None
        if another:                      # the next of the topic's measures, as they are ranked for the region
            ranked = MatchResult(text=residue, intent=prev.intent, text_content=residue)
            self.ranker.pick(ranked, index, prev.intent, {k: v for k, v in sims.items() if k != prev.id},
                             {k: v for k, v in entry_hits.items() if k != prev.id}, where)
            return next((e for e in ranked.entries if e.id != prev.id), None)
        fit = {e.id: self.ranker.entry_score(e, sims, entry_hits) for e in here}
        score, before = max(fit.values()), self.ranker.entry_score(prev, sims, entry_hits)
        # Of the measures that fit about as well, the most specific region's, as the ranking has it
        # (上海's 价格投诉 before the national 12315 for a worker in 静安).
        best = min((e for e in here if fit[e.id] >= score - RELEVANT_MARGIN),
                   key=lambda e: (distance[e.id], -fit[e.id], e.id))
        # A word or two that the previous measure's text holds too ("老板") says nothing about which measure.
        says_little = len(residue) < SIBLING_MIN_WORDS and word_overlap(residue, index.vocabulary[prev.id]) >= 1.0
        if score >= SIBLING_SCORE and score >= before + SIBLING_MARGIN and not says_little:
            return best
        if entry_hits.get(best.id) and not entry_hits.get(prev.id) and score > before:
            return best                  # "节后能调休吗" names 调休, a word of the topic's other measure
        # A word typed that only one other measure builds its keywords on (two or more of them),
        # and the previous one mentions only in passing ("去仲裁得花钱不" after 被欠工资：投诉、仲裁、
        # 起诉: 劳动仲裁不收费, whose keywords are 劳动仲裁, 仲裁不收费, 仲裁时效).
        typed = {h.term.text for h in ev.hits if not h.by_sound and len(h.term.text) >= 2 and h.term.text not in asked}
        keyed = [e for e in here if sum(any(w in k for w in typed) for k in e.keywords) >= KEYWORDS_BUILT_ON]
        # (Not one of a wider region, when a nearer measure fits the turn better: 怀宁's volunteers
        # for 留守老人 before 安庆's care for 困难老人.)
        if len(keyed) == 1 and not any(w in k for k in prev.keywords for w in typed if any(w in o for o in keyed[0].keywords)) and (
                distance[keyed[0].id] <= distance[best.id] or fit[keyed[0].id] >= fit[best.id]):
            return keyed[0]
        # A topic word typed that the previous measure never says and one or two others do
        # ("有没有送棉衣的" after 无收入救助: the 微心愿 that gives 棉衣棉鞋).
        # (Not the words that ask the part: 找谁 in 想细问问 找谁, 孩子 in 媳妇孩子能一起去不.)
        told = [h.term.text for h in ev.hits if not h.by_sound and h.term.text not in index.vocabulary[prev.id]
                and h.term.text not in asked]
        if ELDER not in told and ELDER not in index.vocabulary[prev.id] and any(
                w in residue for w in self.reading.resources.elders):
            told.append(ELDER)           # "奶奶年纪大了 有人去看看没": the family's old people
        owners = [e for e in here if any(w in index.vocabulary[e.id] for w in told)]
        fitting = [e for e in owners if fit[e.id] >= before] if 0 < len(owners) <= SIBLING_OWNERS else []
        if fitting:                      # (the nearest of them: 怀宁's volunteers before 安庆's care)
            return min(fitting, key=lambda e: (distance[e.id], -fit[e.id], e.id))
        # A topic word typed that names measures (their title or keywords) and not the previous one
        # ("加班费咋算" after 错峰调休): the nearest of them.
        naming = [e for e in here if any(w in index.names[e.id] for w in told)]
        if naming and not any(w in index.names[prev.id] for w in told):
            return min(naming, key=lambda e: (distance[e.id], -fit[e.id]))
        # A rare word of the turn that the previous measure never says and just one other does
        # ("外面能买现成的年夜饭不" after the delivery: the dinner boxes on sale).
        if (owner := self._rare_owner(index, prev, here, residue, asked)) is not None:
            return owner
        # ... or whose own text holds the turn's words far better ("看电影打折不" after 场馆开放).
        if len(residue) < SIBLING_MIN_WORDS:
            return None                  # one word ("申请" of 找哪个申请) is no measure's text
        closest = heapq.nlargest(TEXT_RERANK, here, key=lambda e: fit[e.id])
        covered = max(closest, key=lambda e: word_overlap(residue, index.vocabulary[e.id]))
        share = word_overlap(residue, index.vocabulary[covered.id])
        if share >= SIBLING_WORDS and share >= word_overlap(residue, index.vocabulary[prev.id]) + SIBLING_WORDS_MARGIN:
            return covered
        return None

    def measure_named_by(self, index: KBIndex, prev: Entry, region: str | None, sims: dict[str, float],
                         words: tuple[str, ...], *, keywords: bool = False, without: bool = False) -> Entry | None:
        """The topic's measure whose title (with `keywords`, also its keywords) holds one of the
        words, nearest the region first; none when the previous measure is one. "厂里还另外给不"
        after a subsidy: what employers give (迎江区企业配套500元/人); "能告他不" after 平价菜:
        where to complain (价格投诉). `without`: the cash measure whose title holds none of them
        ("那zf自己发的呢" after what employers give: 宜秀区's 每人1000元)."""
        def named(e: Entry) -> bool:
            said = any(w in (index.names[e.id] if keywords else e.title) for w in words)
            return not said and bool(e.amount) if without else said

        if named(prev):
            return None
        given = [(d, e) for i in index.by_intent.get(prev.intent, []) if i != prev.id
                 and named(e := index.entries[i]) and (d := self.ranker.distance(e, region or prev.region)) is not None]
        return min(given, key=lambda p: (p[0], -sims.get(p[1].id, 0.0), p[1].id))[1] if given else None

    def named_measure(self, index: KBIndex, residue: str, sims: dict[str, float], prev: Entry,
                      region: str | None, saved: str | None = None, aspect: str | None = None) -> Entry | None:
        """"那交通费呢": a measure for the region, other than the previous one, that the turn names
        (its words are in the measure's title, keywords or amount, or its wording is that close).
        An amount is also looked for in the worker's saved region ("刚才我那个2000的" after
        talking of a friend's district)."""
        if len(residue) < 2:
            return None
        if (headed := self._headed(index, residue, prev, region)) is not None:
            return headed                # "套餐里那个中医体质检测是啥" after the stay package: the test's own card
        if residue in index.vocabulary[prev.id] or sims.get(prev.id, 0.0) >= SPECIFIC_SIM \
                or aspect == "contact" and residue in self.field_text(index, prev, "contact"):
            return None                  # (人社那边电话多少 after a card whose contact is 人社: its contact)
        # "厂里是不是还得再给五百" (500 after the cn2an step): the measure whose amount says it, of
        # the topic first ("刚才那个两千块 几号截止" goes back to the 2000元 subsidy after a data card).
        if not set(_FIGURE.findall(residue)) & set(_FIGURE.findall(prev.amount or "")):
            said = [e for e in self.by_amount(index, residue, region, digits=2) if e.id != prev.id]
            if not said and saved is not None and saved != region:
                said = [e for e in self.by_amount(index, residue, saved) if e.id != prev.id]
            same = [e for e in said if e.intent == prev.intent]
            other = [e for e in self.by_amount(index, residue, region) if e.intent != prev.intent] \
                if region is not None else []
            if same or len({e.intent for e in other}) == 1:
                return (same or other)[0]
        # An aspect asked with little else ("过年那几天开不开") names a measure only by its name ("那交通费呢").
        by_wording = not (aspect and len(residue) <= ASPECT_RESIDUE)
        # A name holding the turn's words is also close to it by similarity: only those are looked at.
        named = [(sim, index.entries[entry_id]) for entry_id, sim in sims.items()
                 if entry_id != prev.id and (sim >= SPECIFIC_SIM and by_wording or residue in index.names[entry_id])
                 and self.ranker.distance(index.entries[entry_id], region) is not None]
        if not named and (split := self._named_apart(index, residue, prev, region)) is not None:
            return split
        if not named:
            return None
        # Several: the one on the same topic (电信的也有吗 after a data card is 电信's data, not 电信诈骗).
        return max(named, key=lambda pair: (pair[1].intent == prev.intent, pair[0],
                                            -(self.ranker.distance(pair[1], region) or 0)))[1]

    def _named_apart(self, index: KBIndex, residue: str, prev: Entry, region: str | None) -> Entry | None:
        """"工会那个券呢" (工会券) for 200元工会礼券: the one measure for the region whose name holds
        the turn's words in their order (two or more, one of two characters or more, none said by the
        previous measure), with a character or two between them."""
        words = [w for w in self.pipeline.segmenter.cut(residue) if w.strip()]
        if len(words) < 2 or max(map(len, words)) < 2 or any(w in index.vocabulary[prev.id] for w in words):
            return None
        apart = re.compile(f".{{0,{NAME_GAP}}}".join(map(re.escape, words)))
        held = [index.entries[i] for i in index.holding("names", max(words, key=len))
                if i != prev.id and apart.search(index.names[i])
                and self.ranker.distance(index.entries[i], region) is not None]
        return held[0] if len(held) == 1 else None

    def _headed(self, index: KBIndex, text: str, prev: Entry, region: str | None) -> Entry | None:
        """The measure, nearest the region, whose title opens with what the text names (its title
        before any brackets, TITLE_HEAD characters or more), when the previous measure's title does
        not open with it: a part of one measure that is a measure of its own."""
        def heads() -> tuple[re.Pattern[str] | None, dict[str, list[str]]]:
            owners: dict[str, list[str]] = defaultdict(list)
            for entry in index.entries.values():
                head = _head(entry.title)
                if len(head) >= TITLE_HEAD:
                    owners[head].append(entry.id)
            names = sorted(owners, key=len, reverse=True)
            return (re.compile("|".join(map(re.escape, names))) if names else None), owners

        pattern, owners = index.remember(("title heads",), heads)
        if pattern is None or (found := pattern.search(text)) is None or found.group(0) in _head(prev.title):
            return None
        here = [(d, index.entries[i]) for i in owners[found.group(0)] if i != prev.id
                and (d := self.ranker.distance(index.entries[i], region)) is not None]
        return min(here, key=lambda p: (p[0], p[1].id))[1] if here else None

    def by_amount(self, index: KBIndex, text: str, region: str | None, digits: int = AMOUNT_DIGITS) -> list[Entry]:
        """Measures for the region whose amount holds a figure (of `digits` or more) the text
        says (500, 2000), nearest region first."""
        figures = amount_figures(text, digits)
        if not figures:
            return []
        def by_figure() -> dict[str, list[tuple[str, str | None]]]:
            owners: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
            for entry in index.entries.values():
                units = _units(entry.amount or "")
                for figure in set(_FIGURE.findall(entry.amount or "")):
                    owners[figure].append((entry.id, units.get(figure)))
            return owners

        owners = index.remember(("amounts",), by_figure)
        said_as = _units(text)           # "就剩两百块了" is money: no 200% names a measure by it
        # (A bare figure, "厂里说只给300", is money or a count, not a share: shares are said with 倍 or %.)
        said = {i for f in figures if said_as.get(f) != "count" for i, unit in owners.get(f, ())
                if unit is None or said_as.get(f, unit if unit != "share" else None) == unit}
        return sorted((e for e in map(index.entries.__getitem__, said) if self.ranker.distance(e, region) is not None),
                      key=lambda e: (self.ranker.distance(e, region), e.id))

    def followup(self, result: MatchResult, index: KBIndex, prev: Entry, region: str | None,
                 question: str | None = None, own: Evidence | None = None) -> MatchResult:
        """The previous measure again (an aspect of it), or the same topic in the region named,
        ranked by the previous measure, the question that opened the topic and the turn's own
        words (`own`: "那麒麟这边 火车票能退不" asks for the refunds there)."""
        result.followup = True
        result.answer(prev.intent, "followup")
        applies = region is not None and self.ranker.distance(prev, region) is not None
        if region is None or result.region_in_text is None or applies and (
                prev.region == region or not self.nearer(index, prev, region)):
            # No region named: the same measure, wherever it is (a family's home place's, too).
            result.entry, result.entries = prev, [prev]
            # A follow-up is about that measure: a district's measure asked about in its city is the district's.
            result.region = prev.region if not applies or region in self.gazetteer.ancestors(prev.region) \
                else region
            return result
        # "那迎江区呢": the same topic in another region, judged by how close each measure there is
        # to the previous one (a national rule stays unless the region has its own like it).
        content, sims, _ = self._recalled(index, prev.title, question=False)
        sims = dict(sims)
        hits: dict[str, float] = {}
        if question:                         # ... and to the question that opened the topic
            _, asked, asked_hits = self._recalled(index, question, question=True)
            for entry_id, sim in asked.items():
                sims[entry_id] = max(sims.get(entry_id, 0.0), sim)
            hits = {k: v for k, v in asked_hits.items() if k != prev.id}
        topic = index.by_intent.get(prev.intent, [])
        names_one = own is not None and any(own.entry_hits.get(i) for i in topic if i != prev.id)
        if names_one:
            sims, hits = dict(own.sims), dict(own.entry_hits)    # the turn names a measure of its own
        elif own is not None:
            for entry_id, sim in own.sims.items():
                sims[entry_id] = max(sims.get(entry_id, 0.0), sim)
        result.text_content = content
        local = [e for e, _ in self.ranker.applicable(index, prev.intent, region) if e.region != ROOT and e.id != prev.id]
        # A right that holds there too stays, unless the place has measures of its own on the topic
        # (潜山's 维权渠道 for 被拖了钱; "上海春节加班也一样吗": 上海's overtime pay), or ones its figure
        # would not beat (安庆's 工资休假权益 states no multiple: 300% stays).
        if prev.region in self.gazetteer.chain(region) and (prev.region == ROOT or prev.kind == "standing") and not (
                local and (names_one or not prev.amount or any(e.amount for e in local))):
            sims[prev.id] = 100.0
        else:
            sims.pop(prev.id, None)          # a seasonal measure: the new place's own measures answer first,
            if own is None or not names_one and (prev.amount or result.aspect == "amount"):
                result.text_content = ""     # all of them when the turn names none ("那桐城呢": 桐城's 1000元
                                             # before 安庆's 鼓励企业发红包; "他能拿多少" after a cash measure)
        self.ranker.pick(result, index, prev.intent, sims, hits, region)
        if result.entry is None and result.kind == "followup":
            result.kind = "no_local"
        return result

    def _rare_owner(self, index: KBIndex, prev: Entry, here: list[Entry], residue: str, asked: str) -> Entry | None:
        """The one measure of `here` whose own terms (title, who qualifies, keywords, questions) hold
        a word of the turn that few measures say at all (RARE_ENTRIES) and the previous one never
        says ("没收到短信" is the worker's case, not the measure whose text mentions 短信)."""
        words = {w for w in self.pipeline.segmenter.cut(residue)
                 if len(w) >= 2 and w not in asked and w not in index.vocabulary[prev.id] and not self.reading.asks(w)}
        rare = [w for w in words if self._saying(index, w) <= RARE_ENTRIES]
        owners = {e.id: e for e in here if any(w in index.own_terms[e.id] for w in rare)}
        return next(iter(owners.values())) if len(owners) == 1 else None

    @staticmethod
    def _saying(index: KBIndex, word: str) -> int:
        """How many measures' texts say the word."""
        return len(index.holding("vocabulary", word))

    def nearer(self, index: KBIndex, prev: Entry, region: str) -> bool:
        """The topic has a measure nearer to the region than the previous one ("静安寺那边有没有"
        after a Shanghai-wide measure: only if 静安区 has its own)."""
        here = self.ranker.distance(prev, region)
        return any(i != prev.id and (d := self.ranker.distance(index.entries[i], region)) is not None and d < here
                   for i in index.by_intent.get(prev.intent, []))

    def _recalled(self, index: KBIndex, text: str, *, question: bool) -> tuple[str, dict[str, float], dict[str, float]]:
        """(content, similarities, keyword hits) of a text seen before in this conversation (the
        previous measure's title, the question that opened the topic), kept with the index."""
        def recall() -> tuple[str, dict[str, float], dict[str, float]]:
            q = self.pipeline.prepare(normalize(text) if question else text, normalized=question, question=question)
            _, _, hits = term_evidence(index.terms.scan(q.canon, q.syl, q.chars))
            return q.content, similarities(index, q), hits

        return index.remember(("recalled", text, question), recall)


def _head(title: str) -> str:
    """A title before its brackets: 中医体质检测 of 中医体质检测（免费住宿关怀套餐，共200份）."""
    return re.split(r"[（(：:]", title, maxsplit=1)[0].strip()


def _units(text: str) -> dict[str, str]:
    """Each figure said with a unit: "money" (200块, 2000元), "share" (200%) or "count" (300人, 50斤)."""
    return {m.group(1): "money" if m.group(2) else "share" if m.group(3) else "count" for m in _UNIT.finditer(text)}


def amount_figures(text: str, digits: int = AMOUNT_DIGITS) -> set[str]:
    """The figures of `digits` or more the text says (500, 2000): amounts that can name a measure."""
    return {f for f in _FIGURE.findall(text) if len(f) >= digits}


def _lacks(text: str, word: str) -> bool:
    """The word is said right after a negation ("我没有失业保险"; not "有没有年夜饭" or "交没交社保", which ask)."""
    at = text.find(word)
    return at > 0 and text[:at].endswith(LACKING) and not A_NOT_A.search(text[:at])


def elsewhere(learned: dict[str, float], intent: str, at_least: float = ELSEWHERE_PROB) -> str | None:
    """The other topic the learned model is this sure the text is about, if any."""
    best = max(learned, key=learned.get, default=NOT_TOPICS[0])
    return best if best != intent and best not in NOT_TOPICS and learned[best] >= at_least else None
