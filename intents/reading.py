"""Reading what a question asks, from its words alone: the aspects of a follow-up, what is left
once those and filler are taken out, greetings, general and listing phrases, advice questions,
and the clauses of a long message. The phrases are data (`data/smalltalk.yaml`); the matcher
weighs what this finds against the topic evidence."""

from __future__ import annotations

import re
from functools import cached_property

from intents.index import Prepared, TextPipeline
from intents.normalize import is_cjk
from intents.phonetic import syllables
from intents.resources import Resources

FILLER = {"那", "那么", "呢", "还", "再", "问", "到底", "具体", "一般", "大概", "我的", "这个", "单位", "公司", "厂里", "专门", "单独", "类似",
          "上班", "打工", "干活", "做工", "做事"}
#: "发给我妈看看": showing something to someone, not "I'll go and see" (我去看看).
SHOWING = re.compile(r"给[^ ]{1,3}看(?:看|一下)?(?:吧)?$")
#: A negation right before a word, which then is no greeting (没收到, 不懂).
NEGATED = re.compile(r"[没不未](?:有)?(?:收到|明白|懂|知道)")
#: 好 as "very", before a feeling or a state (好想家, 好累, 好冷清).
VERY = re.compile(r"好(?=[想累冷热难烦饿困惨气苦忙远久闷孤寂无])")
#: Giving in, which opens a remark rather than closing the conversation.
GIVING_IN = re.compile(r"(?:哈+)?(?:那)?(?:就)?(?:算了|行吧|好吧)+(?:吧|啦)?")
#: An acknowledgement that opens the message, typed straight on to the worker's own plan.
ACK_THEN_PLAN = re.compile(r"^(?:好的|好嘞|好滴|好吧|行吧|那行|好|行|中|嗯嗯|嗯|ok|收到|知道了|晓得了|明白了)+(?=那?(?:我|俺|咱))")
#: ... when what follows is what the worker will do (那我叫他自己去问单位, 我拿笔记记一下), not a case or a
#: wish (好的我要投诉, 好我是外地户口). Giving in said with such a plan closes too ("好吧 那我问问人事去").
PLAN = re.compile(r"那?(?:我|俺|咱)(?:们)?(?:先|就|再|自己)?(?:叫|让|拿笔|记|去问|问问|找|打电话|打个电话)(?![了不过])")
#: "Nothing more", which closes a conversation when said ("没别的了 谢谢") and asks for another when
#: asked ("那没别的了？", "没有了吗").
NONE_LEFT = re.compile(r"没(?:有)?(?:别的|其他|其它)?了")
#: ... said alone ("那没了吗"; not "我们本省的就没有了": then we get none).
ONLY_NONE_LEFT = re.compile(rf"(?:那|就|那就)?{NONE_LEFT.pattern}(?:吗|呢|么|嘛)?")
#: Where a message may hold another question: a clause break, or words that start one.
CLAUSE_BREAK = re.compile(r" |另外|还有|顺便问|顺便|再问|再就是|以及")
#: Words that make a clause a question rather than a statement that sets the scene.
#: "民宿和酒店哪个住着舒服": a comparison between two things is a question of taste.
#: "A还是B好": which of two is better, a question of taste.
WHICH_BETTER = re.compile(r"还是[^ ]{1,8}?(?:好|强|香|划算|合适)(?:吃|看|用|些|点|一点|一些)?(?:呢|啊|吗|哦|嘛)?(?: |$)")
#: "带点啥好", "穿什么好看", "买哪个好": what to bring, buy, wear or say, as a matter of taste.
WHAT_BEST = re.compile(r"(?:带|送|买|吃|穿|说|发|做|写|拍|拿|挑|选)(?:点|些|个|的)?(?:啥|什么|哪些|哪个|哪种)(?:东西|礼物)?"
                       r"(?:好|合适|比较好|最好|好看|好吃|实惠|划算)")
#: "南京哪里买年货便宜点": where something is cheapest to buy, shopping advice.
CHEAPEST_WHERE = re.compile(r"(?:哪里|哪儿|哪|哪个地方|哪家店)(?:去)?(?:买|订|办|充)[^ ]{0,6}?(?:便宜|实惠|划算)")
#: "福州哪里酒店便宜点": where something is cheap, asked for advice unless the model is sure of a measure.
CHEAP_WHERE = re.compile(r"(?:哪里|哪儿|哪家|哪个地方)(?!有)[^ ]{1,4}?(?:便宜|实惠|划算)(?:点|些|一点)?(?:$| )")
COMPARISON = re.compile(r"(?:和|跟|与|或者).{1,8}?(?:哪个|哪家|哪种|哪款|哪样)")
#: Words that open a turn by pointing back at the measure just given.
ANAPHORA = ("这个", "那个", "这种", "那种", "这事", "那事", "它")
#: "全国的还是本地的": the two sides of a choice.
CHOICE = re.compile(r"([^ 还是]{1,8}?)的?还是([^ ]{1,8}?)的?(?:呢|啊|吗|哦|嘛)?(?: |$)")
#: 还是 opening a clause ("……吗 还是……"): another answer offered, not a choice of taste.
ALTERNATIVE = re.compile(r"(?:^| )还是")
#: Particles and spaces around a hello or thanks (你好啊, 谢谢了哈).
COURTESY_TRAIL = " 啊呀哈啦嘞哦呢吖"
#: ... after a hello, only as a word of their own (你好啊 …; 哈尔滨 keeps its 哈).
COURTESY_PARTICLES = re.compile(r"^[啊呀哈啦嘞哦呢吖]*(?: |$)")
#: Thanks that close a message whatever comes before them (谢了 may be 花都谢了: only after a space).
UNMISTAKABLE_THANKS = ("谢谢", "谢谢了", "谢谢你", "谢谢您", "谢谢啊", "谢谢你了", "多谢", "感谢", "谢谢侬", "thx", "3q", "thanks")
#: Laughing ("老了老了 一身都是毛病 哈哈"): beside a remark, no greeting.
LAUGH = re.compile(r"[哈嘿呵嘻]+")
#: Asking without a question word: A-not-A, a final particle, a choice between two (a final 没有 or 不
#: after 都 or 也 tells none at all: 钱都没有).
ASKING_FORM = re.compile(r"([\u4e00-\u9fff])[不没]\1|(?<![都也])(?:不|没|没有|冇)(?=$|\s)|(?:伐|咩|(?<![什怎这那多])么|嘛|不咯)(?=$|\s)|.还是.")
#: 几 asks (几号, 要几天), except in a number or an amount said (好几个, 这几天, 我们几个, 十几, 几十年, 没几天, 见不到几回).
QUESTION_JI = re.compile(r"(?<![好这那们十前后头没])(?<!不到)几(?![十百千万])")
#: What someone's phone does, told, not asked for ("工头跑了 电话都打不通", "老板电话也不接"): no contact asked
#: ("电话打不通啊" after a hotline given still asks for one that works).
PHONE_TOLD = re.compile(r"(?:也|都|又|还|一直|根本)?(?:打不通|不接|没人接|关机|停机|拉黑|不回)")
PHONE_OWNER = re.compile(r"老板|工头|老细|领导|经理|他|她|人")
#: Inside a thing ("礼包里面都有啥"): what it holds, not what there is on offer.
INSIDE = ("里面", "里头", "里边", "里面都", "里头都", "里边都", "里")
#: A clause: a run of characters between spaces (normalising turns punctuation into spaces).
CLAUSE = re.compile(r"\S+")
#: Someone said there is something (老太太说王庄那边过年有体检): asked true or not, a measure is sought.
HEARSAY = re.compile(r"说[^ ]{0,10}有|听(?:人|别人|工友|老乡|朋友|同事)?讲(?![座课])[^ ]{0,10}有")     # (听讲有一千块: 讲 is 说)
#: "听说街道也搞体检", "听工友讲": what the worker heard of, told to find out about it (听讲座, 听不懂 are not).
HEARD = re.compile(r"听(?![不没讲])[^ ]{0,4}?说|听(?:人|别人|工友|老乡|朋友|同事)?讲(?![座课])|据说")
#: Offer words that, right after a thing named (点外卖有优惠没), ask for that thing's deal.
BARE_OFFERS = ("优惠", "实惠", "待遇", "照顾", "关照")
OFFER_ASKED = re.compile(r"(?:有没有|有冇|有无|有啥|有什么|有|能|可以|给|打|啥|什么|点|些|的)+$")
#: "啥都行", "怎么都不给": a question word used as "any", asking nothing ("哪有啥工会": there is none;
#: "说啥就是啥", "给多少算多少": whatever it is).
INDEFINITE = re.compile(r"(?:什么|啥|哪儿|哪里|哪|谁|怎么)(?:都|也)|哪(?:有|来的?)(?:什么|啥)"
                        r"|(什么|啥|多少|怎么)(?:就是|算|是)\1")
QUESTION_WORDS = ("吗", "怎么", "多少", "哪", "什么", "能不能", "可不可以", "有没有", "是不是", "呢", "谁", "给不给",
                  "发不发", "算不算")


class Reading:
    """Phrase-level reading of a prepared question."""

    def __init__(self, resources: Resources, pipeline: TextPipeline) -> None:
        self.resources = resources
        self.pipeline = pipeline
        self._number_greetings = frozenset(g for g in resources.greetings if g.isdigit())     # 88, 886
        # Aspect phrases by sound, for typos from pinyin input (怎么令, 什么正件): only phrases of
        # three characters or more, and none with 哪, which sounds like 那 (在那里 is no question).
        self._sounds = {aspect: [" " + " ".join(syllables(p)) + " " for p in phrases
                                 if len(p) >= 3 and "哪" not in p and all(is_cjk(c) for c in p)]
                        for aspect, phrases in resources.followups.items()}   # " a b c ": syllables in a row

    def aspects(self, q: Prepared) -> list[str]:
        """Every aspect asked about ("啥时候，打哪个电话问": validity and contact), in the
        data file's order of precedence; a phrase inside a longer one of another aspect does
        not count ("电话多少" asks for the phone, not an amount)."""
        if judged := self.judged(q.canon):    # (只有 asks who may, but not in "只有200份啊 那也太少了")
            q = self.pipeline.prepare(_cut(q.canon, judged), normalized=True, question=True)
        spans = self._spans(q)
        found = [a for a, (s, e) in spans.items()
                 if not any(b != a and s2 <= s and e <= e2 and e2 - s2 > e - s for b, (s2, e2) in spans.items())]
        heard = " " + " ".join(q.syl) + " "
        return found + [a for a, sounds in self._sounds.items() if a not in spans and any(
            sound in heard for sound in sounds) and not (a == "materials" and self._papers_told_lost(q))
            and not (a == "contact" and PHONE_TOLD.search(q.canon) and PHONE_OWNER.search(q.canon)
                     and not self.asks(q.canon))]

    def asks_part_alone(self, q: Prepared) -> bool:
        """One clause of a message of several asks a part of a measure and nothing else ("要钱不
        我补颗牙上次花了好几百")."""
        clauses = self.clauses(q)
        if len(clauses) < 2:
            return False
        for clause in clauses:
            one = self.pipeline.prepare(clause, normalized=True, question=True)
            if self.aspects(one) and len(self.residue(one)) <= 1:
                return True
        return False

    def _papers_told_lost(self, q: Prepared) -> bool:
        """A word of what to bring is typed, and told lost or told of ("身份证丢了", "身份证是云南的"): not asked by its sound either
        (only papers are told lost so: "电话找不到了" still asks for the number)."""
        return any((at := q.canon.find(p)) >= 0 and self._lost(q.canon, at + len(p))
                   for p in self.resources.followups.get("materials", ()) if p)

    def asked_words(self, q: Prepared, aspect: str) -> str:
        """The words that ask an aspect ("老公孩子能一起住" asks whether family may come: 孩子
        there is the aspect's word, not the family-care topic's)."""
        start, end = self._spans(q).get(aspect, (0, 0))
        return q.canon[start:end]

    def asking_phrases(self, q: Prepared, aspects: tuple[str, ...] | list[str]) -> str:
        """Every phrase in the question that asks one of the aspects ("这得找谁问 给个电话": 找谁 and 电话)."""
        found = [p for a in aspects for p in self.resources.followups.get(a, ()) if p and p in q.canon]
        found += [m.group() for a in aspects for pattern in self.resources.followup_patterns.get(a, ())
                  if (m := pattern.search(q.canon))]
        return " ".join(found)

    def _spans(self, q: Prepared) -> dict[str, tuple[int, int]]:
        """Where each aspect's longest phrase stands in the question."""
        spans: dict[str, tuple[int, int]] = {}
        for aspect, phrases in self.resources.followups.items():
            found = [(at, len(p)) for p in phrases if p and (at := self._asked_at(q.canon, p, aspect)) >= 0]
            found += [(m.start(), m.end() - m.start()) for pattern in self.resources.followup_patterns.get(aspect, ())
                      if (m := pattern.search(q.canon))]
            if found:
                start, length = max(found, key=lambda f: f[1])
                spans[aspect] = (start, start + length)
        return spans

    def _asked_at(self, text: str, phrase: str, aspect: str) -> int:
        """Where the phrase first stands as asked, not told of (身份证丢了, 电话都打不通); -1 if nowhere."""
        at = text.find(phrase)
        while at >= 0 and (aspect == "materials" and self._lost(text, at + len(phrase))
                           or aspect == "contact" and self._phone_told(text, at, at + len(phrase))):
            at = text.find(phrase, at + 1)
        return at

    @staticmethod
    def _phone_told(text: str, start: int, end: int) -> bool:
        """Someone's phone, named before `start`, told of after `end` ("工头跑了 电话都打不通")."""
        return PHONE_TOLD.match(text, end) is not None and PHONE_OWNER.search(text[:start]) is not None

    def _lost(self, text: str, end: int) -> bool:
        """The thing named just before `end` is lost or told of ("身份证银行卡全没了", "我身份证是云南的"): it
        is told, not asked about."""
        return self.resources.lost is not None and self.resources.lost.match(text, end) is not None

    def residue(self, q: Prepared) -> str:
        """What is left of the question without follow-up phrases, region names and filler."""
        text = q.canon
        # Every phrase and construction found, the longest first ("找哪个部门" whole, "在哪报名" whole).
        spans = [(m.start(), m.end()) for patterns in self.resources.followup_patterns.values()
                 for pattern in patterns for m in pattern.finditer(text) if m.end() > m.start()]
        for phrases in self.resources.followups.values():
            for phrase in phrases:
                at = text.find(phrase) if phrase else -1
                while at >= 0:
                    spans.append((at, at + len(phrase)))
                    at = text.find(phrase, at + 1)
        taken = [False] * len(text)
        for start, end in sorted(spans, key=lambda span: span[0] - span[1]):
            if not any(taken[start:end]):
                taken[start:end] = [True] * (end - start)
        text = "".join(" " if gone else ch for ch, gone in zip(text, taken, strict=True))
        if text != q.canon:
            text = self.pipeline.prepare(text, normalized=True, question=True).content
        else:
            text = q.content
        tokens = self.pipeline.segmenter.cut(text) if text else []
        return "".join(t for t in tokens if t not in self.resources.stopwords and t not in FILLER)

    def only_positive_marks(self, text: str) -> bool:
        """"👍", "[抱拳]": thanks or OK, sent as a mark alone."""
        rest = text
        for mark in self.resources.positive_marks:
            rest = rest.replace(mark, "")
        return rest != text and not rest.replace("\ufe0f", "").strip()

    def closes(self, q: Prepared) -> bool:
        """"那我先去问问厂里", "好的我打电话问问": the worker says what they will do next, and asks nothing."""
        return any(p.search(q.canon) for p in self.resources.closings) and not self.asks(q.canon) \
            and not SHOWING.search(q.canon) or any(
            p.search(q.canon) for p in self.resources.understood)

    def about_bot(self, q: Prepared) -> bool:
        """"你是真人吗": a question about the assistant itself, and nothing else."""
        return q.norm.replace(" ", "").rstrip("啊呀呢吧哦呗嘛") in self.resources.about_bot

    def is_greeting(self, q: Prepared) -> bool:
        """Only greetings, thanks and filler ("没收到" is no "收到")."""
        if NEGATED.search(q.canon) or NONE_LEFT.search(q.canon) and self.put_as_question(q):
            return False
        if any(c.isdigit() for c in q.norm) and any(w in self._number_greetings and w not in q.norm.split()
                                                    for w in self.pipeline.segmenter.cut(q.norm)):
            return False         # 88 is goodbye on its own ("好的 88"), not in "是88吗"
        if self.closes(q) or q.norm.replace(" ", "") in self.resources.greetings:
            return True          # (得嘞 is a greeting before its particle is dropped: 得 alone is not)
        words = set(self.pipeline.segmenter.cut(q.canon))
        greetings = self.resources.greetings
        if bool(words) and words <= (greetings | self.resources.stopwords) and bool(words & greetings) or (
                not q.content and any(g in q.canon for g in greetings)):
            return True
        # "行谢了老铁", "好额谢谢侬", "中知道了": greeting phrases wherever the segmenter cut, and beside
        # them only particles and ways of addressing someone.
        rest = self._greeting_gaps(q.canon)     # left to right, the longest greeting at each place (太感谢了: 感谢)
        if rest == q.canon:
            return False
        if self._only_filler(rest) and not self.asks(rest):
            return True
        # "你好你好 第一次用这个", "谢谢妹子 说着说着眼泪都下来了": a greeting that opens or closes the
        # message, and beside it a remark that asks nothing.
        # ("好的那我叫他自己去问单位": an acknowledgement typed straight on to what the worker will do.)
        # (Giving in, "算了 明年还是回广东过" or "行吧 大不了自己煮包泡面", only opens a remark.)
        ack = ACK_THEN_PLAN.match(q.canon)
        rest = q.canon[ack.end():] if ack else ""
        planned = ack is not None and (PLAN.match(rest) is not None or any(p.search(rest) for p in self.resources.closings))
        clauses = (q.canon[:ack.end()] + " " + rest if planned else q.canon).split()
        return len(clauses) >= 2 and any(
            self.greets_only(clause) and not LAUGH.fullmatch(clause) and not (
                n == 0 and GIVING_IN.fullmatch(clause) and not PLAN.search(q.canon)
                and not any(w in q.canon for w in self.resources.signoffs))
            for n, clause in ((0, clauses[0]), (len(clauses) - 1, clauses[-1]))) \
            and not self.asks(q.canon) and not q.question_mark

    def greets_only(self, clause: str) -> bool:
        """A clause of greetings or thanks and nothing but particles and ways of addressing someone
        (好 there is "very" before a feeling: 好想孩子 is no "好")."""
        return not VERY.match(clause) and (gaps := self._greeting_gaps(clause)) != clause and self._only_filler(gaps)

    def without_courtesy(self, norm: str) -> str | None:
        """The message without the hello, please or thanks that opens or closes it ("你好 我们众包的
        没单位啊", "找哪个 谢谢"), a hesitation said as a clause of its own ("那个 …") and the way the
        worker addresses us after a hello ("你好 美女 …"); None when it has none, or nothing else."""
        text = norm.strip()
        while text:
            first, _, rest = text.partition(" ")
            opener = next((p for p in self.resources.courtesy_open if text.startswith(p)
                           and not _latin_joined(text[len(p):len(p) + 1])), None)
            closer = next((p for p in self.resources.courtesy_close if text.endswith(p)
                           and not _latin_joined(text[-len(p) - 1:-len(p)])
                           and (p in UNMISTAKABLE_THANKS or text[:-len(p)].endswith(" ") or len(text) == len(p))), None)
            if rest and first.rstrip(COURTESY_TRAIL) in self.resources.courtesy_clause:
                text = rest.strip()          # "那个 过年能去哪逛": a hesitation
            elif opener:
                text = COURTESY_PARTICLES.sub("", text[len(opener):], count=1).strip()    # (你好啊, not 哈尔滨)
                first, _, rest = text.partition(" ")
                if rest and self._only_filler(first) and not self._topic_word(first):
                    text = rest.strip()      # "你好 美女 …": the way the worker addresses us (not "你好 孩子 …")
            elif closer:
                text = text[:-len(closer)].rstrip(COURTESY_TRAIL)
            else:
                break
        return text if text and text != norm.strip() else None

    def says_something(self, q: Prepared) -> bool:
        """More than a word of filler is left ("得", "中", "对着呢" say nothing; "找哪个" asks)."""
        return len(q.content.replace(" ", "")) >= 2 or self.is_question(q.canon) or bool(self.aspects(q))

    def _only_filler(self, text: str) -> bool:
        """Nothing but particles and ways of addressing someone (妹子, 老铁) is left."""
        filler = self.resources.greeting_filler | self.resources.stopwords
        return all(w in filler or all(ch in filler for ch in w) for w in self.pipeline.segmenter.cut(text) if w.strip())

    def _greeting_gaps(self, text: str) -> str:
        """The text with its greeting phrases blanked out (你好你好 -> "  ")."""
        out, i = [], 0
        while i < len(text):
            phrase = next((p for p in self._greetings_longest_first if text.startswith(p, i)), None)
            out.append(" " if phrase else text[i])
            i += len(phrase) if phrase else 1
        return "".join(out)

    @cached_property
    def _greetings_longest_first(self) -> tuple[str, ...]:
        """Greeting phrases, longest first (so 谢谢侬 goes before 谢谢)."""
        return tuple(sorted(self.resources.greetings, key=len, reverse=True))

    def has_general_phrase(self, q: Prepared, besides: str = "") -> bool:
        """"有啥福利", "留下来有啥好处": asks what there is (with a phrase `besides` does not hold:
        after a card about cinema deals, "咋优惠" asks about those deals)."""
        return any(p in q.canon and p not in besides and not self._what_of_a_thing(q.canon, p)
                   and not (p.startswith("有") and "没" + p in q.canon)      # 没有什么帮助: a remark
                   and not self._offer_of_a_thing(q.canon, p) for p in self.resources.general) or (
            any(p.search(q.canon) for p in self.resources.general_patterns))

    def _offer_of_a_thing(self, canon: str, phrase: str) -> bool:
        """"点外卖有优惠没", "坐公交有没有优惠": the deal on a thing named right before, a topic's word,
        not what there is on offer."""
        if phrase not in BARE_OFFERS:
            return False
        before = canon[:canon.index(phrase)].split(" ")[-1]
        before = OFFER_ASKED.sub("", before)
        words = [w for w in self.pipeline.segmenter.cut(before) if w not in self.resources.stopwords]
        return bool(words) and len(words[-1]) >= 2 and self._topic_word(words[-1])

    def _topic_word(self, word: str) -> bool:
        """A word of the lexicon, of any topic."""
        return any(word in terms for terms in self.resources.lexicon.values())

    def _what_of_a_thing(self, canon: str, phrase: str) -> bool:
        """"发什么朋友圈", "送什么年货给老丈人": the 什么 asks which of a thing named right after it,
        not what there is on offer; "礼包里面都有啥": what is inside a thing named before it."""
        before = canon[:canon.index(phrase)]
        if before.endswith(INSIDE):
            return True                   # "大礼包 里面都有啥": what is in the thing just named
        if not phrase.endswith("什么"):
            return False
        after = canon[canon.index(phrase) + len(phrase):]
        after = after.split(" ", 1)[0]    # the clause ends (punctuation is a space by now): nothing named after it
        word = next(iter(self.pipeline.segmenter.cut(after)), "") if after else ""
        return len(word) >= 2 and all(is_cjk(c) for c in word) and word not in self.resources.stopwords \
            and word not in self.resources.offer_words and not self._topic_word(word)

    def has_listing_phrase(self, q: Prepared) -> bool:
        """"这块有哪些": asks for a list."""
        return self.lists(q.canon)

    def lists(self, text: str) -> bool:
        """The text (a question's canonical form, or a clause of it) asks for a list."""
        return any(p in text for p in self.resources.listing)

    def withheld(self, q: Prepared) -> bool:
        """"老板不给去哪投诉": the measure just answered is withheld (the turn names nothing else)."""
        said = (q.norm, q.canon)          # as typed, and rewritten (老细唔畀 is 老板不给)
        return any(p in t for p in self.resources.withheld for t in said) and not any(
            o in t for o in self.resources.withheld_objects for t in said)

    def asks_top_up(self, q: Prepared) -> bool:
        """"那厂里自己还另外补不": does the employer give something on top?"""
        return any(e in q.norm for e in self.resources.employers) and any(
            p.search(q.norm) for p in self.resources.topped_up)

    def word_asked(self, q: Prepared) -> str | None:
        """"我们厂不大 规上是啥意思", "规上企业啥意思 我们厂几百人": the word whose meaning is asked
        (the end of a clause, the first that asks it)."""
        for clause in q.canon.split(" "):
            phrase = next((p for p in self.resources.meaning if clause.endswith(p)), None)
            if phrase is not None and len(clause) > len(phrase):
                return clause[: -len(phrase)]
        return None

    @staticmethod
    def refers_back(q: Prepared) -> bool:
        """"这个是一定会发的吗", "那个要钱不": the turn opens by pointing at what was just said."""
        return Reading.points_back(q.canon)

    @staticmethod
    def points_back(text: str) -> bool:
        """The text (a turn, or a clause of it) opens by pointing at what was just said (这个, 那个)."""
        return text.startswith(ANAPHORA)

    def put_as_question(self, q: Prepared) -> bool:
        """Typed with a question mark, or in a question's form (没了吗, 还有吗)."""
        return q.question_mark or self.is_question(q.canon)

    def asks_another(self, q: Prepared) -> bool:
        """"还有别的补助不": asks for another measure than the one just given."""
        return any(p in q.canon for p in self.resources.another) or bool(ONLY_NONE_LEFT.fullmatch(q.canon)) \
            and self.put_as_question(q)      # "没了？": nothing more, asked

    def asks_advice(self, q: Prepared, *, asking: bool = False) -> bool:
        """"年夜饭吃饺子还是汤圆", "电影院哪部片子好看": advice or taste, asking for no measure.
        Whether something is true ("文物是真的吗") is advice too, unless the turn also asks a part of
        a measure (`asking`: "留宜秀有钱拿 真的假的 多少")."""
        said = self._as_asked(q)
        # "是一定会发的吗 还是看老板心情": a clause that opens with 还是 offers another answer to the
        # question before it, no choice between two things.
        cued = [ALTERNATIVE.sub(" ", t) for t in said]
        cues = (*self.resources.advice_cues, *self.resources.taste_cues, *(() if asking else self.resources.verify_cues))
        if not (any(c in t for c in cues for t in cued) or COMPARISON.search(q.norm) or WHAT_BEST.search(q.norm)
                or CHEAPEST_WHERE.search(q.norm) or CHEAP_WHERE.search(q.norm)):
            return False
        if self._hearsay_checked(q, said) and not (
                any(c in t for c in (*self.resources.advice_cues, *self.resources.taste_cues) for t in cued)):
            return False                 # "老太太说王庄那边过年有体检 是真的不": whether a measure is there
        # 领导 and 送礼 hold a seeking cue's character and seek nothing.
        plain = [self._without(t, self.resources.not_seeking) for t in (*said, q.canon)]
        return not any(c in t for c in self.resources.seeking_cues for t in plain)    # 工钱 is 工资

    def checks_hearsay(self, q: Prepared) -> bool:
        """"老太太说王庄那边过年有体检 是真的不": whether what someone said is there is true."""
        return self._hearsay_checked(q, self._as_asked(q))

    def _hearsay_checked(self, q: Prepared, said: tuple[str, str]) -> bool:
        return bool(HEARSAY.search(q.canon)) and any(c in t for c in self.resources.verify_cues for t in said)

    def _as_asked(self, q: Prepared) -> tuple[str, str]:
        """The question as typed, and with its question forms (能喝酒不 as 能喝酒吗)."""
        return q.norm, self.resources.question_forms(q.norm)

    @staticmethod
    def alternatives(q: Prepared) -> tuple[str, str] | None:
        """"流量是全国的还是本地的": the two things a choice is between (not "你是真人还是机器人":
        that is about the one asked)."""
        found = CHOICE.search(q.canon)
        if not found or q.canon[:found.start()].split(" ")[-1].startswith(("你", "您")):
            return None
        return found.group(1), found.group(2)

    @staticmethod
    def _without(text: str, words: tuple[str, ...]) -> str:
        for word in words:
            text = text.replace(word, " ")
        return text

    def asks_taste(self, q: Prepared) -> bool:
        """"福州哪家饭店年夜饭好吃", "吃饺子还是汤圆好": a question of taste (asked for advice, see
        `asks_advice`)."""
        return any(c in q.norm or c in q.canon for c in self.resources.taste_cues) or bool(
            WHICH_BETTER.search(q.norm) or WHAT_BEST.search(q.norm) or CHEAPEST_WHERE.search(q.norm))

    @staticmethod
    def clauses(q: Prepared, min_len: int = 1) -> list[str]:
        """The clauses of a message."""
        return [c for c in CLAUSE_BREAK.split(q.canon) if len(c) >= min_len]

    @staticmethod
    def asks(clause: str) -> bool:
        """True for a clause that asks (not one that tells the story)."""
        clause = INDEFINITE.sub(" ", clause)
        return any(w in clause for w in QUESTION_WORDS) or bool(QUESTION_JI.search(clause))

    @classmethod
    def is_question(cls, text: str) -> bool:
        """A question in any of the ways people ask one: a question word, A-not-A (要不要, 来得及不),
        a final particle (伐, 冇, 嘛) or a choice (在苏州办还是回老家办)."""
        return cls.asks(text) or bool(ASKING_FORM.search(text))

    def signs_off(self, q: Prepared) -> bool:
        """Thanks or goodbye said outright (谢谢, 我去忙了), whatever else the turn says."""
        return any(w in q.canon for w in self.resources.signoffs)

    def shifts(self, text: str) -> bool:
        """The message opens with "by the way" (对了, 顺便问): another matter comes."""
        return text.lstrip().startswith(self.resources.shifts)

    def judged(self, text: str) -> list[tuple[int, int]]:
        """Where the clauses stand that judge what was said and ask nothing (凭啥他们有, 也太少了)."""
        spans = []
        for clause in CLAUSE.finditer(text):
            said = clause.group()
            found = next((m for p in self.resources.judging if (m := p.search(said))), None)
            # (An exclamation only when the rest of the clause asks nothing: "太远了吧有近一点的吗" asks.)
            if any(p.search(said) for p in self.resources.rhetorical) or found is not None \
                    and not self.is_question(said[:found.start()] + said[found.end():]):
                spans.append(clause.span())
        return spans

    def gives_up(self, q: Prepared) -> bool:
        """"单位不发那也冇得办法", "那我们是没指望了": the worker gives up, and asks nothing."""
        return any(p.search(q.canon) for p in self.resources.resigned) and not self.put_as_question(q)

    def reacts(self, q: Prepared) -> bool:
        """Laughs, sighs or judges what was said (哈哈, 笑死, 算了吧) and asks nothing (a laughing
        emoji beside a question mark asks: "面试也在手机上？😂", and so does what the worker heard there is:
        "听说街道也搞体检😂")."""
        said = (q.norm, q.canon)          # as typed (哈哈: the rewrite makes it 哈), and rewritten
        # (A clause that judges, 凭啥他们有 or 这什么破单位, asks nothing, whatever its question word.)
        unjudged = [_cut(t, self.judged(t)) for t in said]
        return (any(w in t for w in self.resources.reactions for t in said) or unjudged != list(said)
                or bool(q.marks) and not q.question_mark and not HEARSAY.search(q.canon) and not HEARD.search(q.canon)) \
            and not any(self.is_question(t) for t in unjudged) \
            and not any(w in q.canon for w in self.resources.complaints)    # 咋算 asks as 怎么算 does; 太抠 我要投诉 seeks


def _cut(text: str, spans: list[tuple[int, int]]) -> str:
    """The text without these spans."""
    for start, end in reversed(spans):
        text = text[:start] + text[end:]
    return text


def _latin_joined(neighbour: str) -> bool:
    """A Latin letter right beside a Latin phrase: one word (hithere, nothx), not a hello."""
    return bool(neighbour) and neighbour.isascii() and neighbour.isalpha()
