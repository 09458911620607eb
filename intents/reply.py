"""What a worker reads: the matcher's result laid out as a reply card (plain text here;
the bot renders the same card as Telegram HTML)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from intents.aspects import LABELS as ASPECT_LABELS
from intents.aspects import aspect_answer, date_text, validity_text
from intents.matcher import MatchResult
from knowledge import season
from knowledge.gazetteer import Gazetteer
from knowledge.models import INTENT_NAMES, Entry

HOTLINE_RE = re.compile(r"(?<![\d-])((?:0\d{2,3}-)?\d{5,8}|1[3-9]\d{9})(?![\d-])")

GREETING = ("你好！我是暖心助手，专门解答就地过年的各种帮扶政策：红包补贴、免费流量、免费体检、"
            "法律援助、加班工资、年夜饭、找工作等。直接打字问我就行，比如“留岗红包怎么领”。")
ABOUT_ME = ("我是暖心助手，一个自动回答的机器人，不是真人，也不是政府部门。我按各地的官方通知回答就地过年的帮扶政策。"
            "想找真人问，可以打 12345 政务服务热线，或者去附近的暖民稳岗服务站。")
#: A greeting with one of these asks what the assistant is: it gets ABOUT_ME.
ABOUT_WORDS = ("真人", "机器人", "人工", "ai", "政府的", "官方", "哪个单位")
THANKS = "不客气！还有想问的，随时发给我。祝你过年好！"
ACK = "好的！还有想问的，随时发给我。祝你过年好！"
#: A greeting with one of these is a hello: it gets GREETING (what the bot is for) ...
HELLO_WORDS = ("你好", "您好", "你们好", "大家好", "哈喽", "哈罗", "嗨", "hi", "hello", "hey", "在吗", "在不在", "有人吗",
               "早上好", "早安", "中午好", "下午好", "晚上好", "请问", "你是谁", "你能", "你会", "帮助", "助手", "机器人")
#: ... with one of these, thanks or a wish: THANKS; otherwise ("好的", "那我先去问问厂里") ACK.
THANKS_WORDS = ("谢", "感谢", "唔该", "thx", "3q", "tks", "感恩", "thank", "辛苦", "快乐", "过年好", "新年好", "拜拜", "再见", "bye")
FALLBACK = ("这个问题我暂时答不上来。我能回答就地过年的帮扶政策，比如红包补贴、免费流量、免费体检、"
            "讨薪维权、加班工资、年夜饭、培训和找工作。换个说法试试，或者打 12345 政务服务热线问问。")
REMARK = ("明白。想问就地过年的帮扶政策，比如红包补贴、免费流量、免费体检、讨薪维权、年夜饭，"
          "直接问我就行。")
NEEDS_TOPIC = ("你想问哪一项？先告诉我是什么，比如“留岗红包怎么领”“免费流量在哪领”，"
               "或者点下面的按钮选话题。")
EMPTY = "没看到文字内容。请直接打字问我，比如“免费体检在哪里”，或者点下面的按钮。"
STATING_CHARS = 80       # what another measure says about the part asked, at most this long


@dataclass
class Card:
    """A reply in parts: a heading, lines of (label, text), notes and small print."""

    heading: str = ""
    body: str = ""
    lines: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    small: str = ""

    def plain(self) -> str:
        """The card as plain text."""
        parts = []
        if self.heading:
            parts.append(f"【{self.heading}】")
        if self.body:
            parts.append(self.body)
        parts.extend(f"{label}：{text}" for label, text in self.lines)
        parts.extend(self.notes)
        if self.small:
            parts.append(self.small)
        return "\n".join(parts)


SENTENCE_RE = re.compile(r"[^。！？；!?;]+[。！？；!?;]?")
NUMBER_RE = re.compile(r"\d+")
#: Topics whose historical entries are rules people followed (not benefits).
RULE_INTENTS = ("epidemic_prevention", "travel")
#: For topics with standing rights: what still holds while a season's extras are not out.
STANDING_HINT = {"legal_aid": "讨薪的法律援助、劳动仲裁一直可以申请：打 12348 法律援助热线。",
                 "wage_rights": "加班工资等法律规定一直有效：有疑问打 12333 人社热线。",
                 "unemployment": "失业保险待遇一直可以申领：打 12333 人社热线问。"}
#: Parts of an old COVID-era benefit a follow-up may ask, told as they were then.
HISTORY_ASPECTS = ("eligibility", "family", "more", "how_to_claim", "materials", "place", "validity")
ASK_NOW = "现在可以：问用人单位或工会；打 12345（政务服务）或 12333（人社）问当地；或发 /subscribe，公布了告诉你。"


def over_note(entry: Entry, today: dt.date) -> str | None:
    """A plain warning when the measure is not current (None for standing and current ones)."""
    state = season.status(entry, today)
    if state in ("standing", "current", "upcoming"):
        return None
    return _season_line(entry, today, state, "", "")


def _season_line(entry: Entry, today: dt.date, state: str, topic: str, place: str) -> str:
    """First line of a card whose measure is not current: what is known about this season."""
    coming = season.coming_season(today)
    year = entry.season_year() or coming.year
    if state == "historical":
        if entry.intent in RULE_INTENTS:
            return f"⚠️ 这是{year}年疫情期间的防疫规定，现在已经不再执行，不要按它来安排过年和出行。"
        return f"⚠️ 这是{year}年疫情期间的措施，现在已经不再执行。"
    if state == "ended":
        return f"⚠️ 这项措施已经在{date_text(entry.season_end() or today)}结束了。"
    if state == "superseded":
        titles = season.published_titles(entry.region, entry.intent, coming.year)
        newer = f"：{'；'.join(titles[:3])}" if titles else ""
        return (f"⚠️ 这是{year}年的做法，已经结束。{place}{coming.year}年春节的{topic}已经公布{newer}。"
                f"问我“{titles[0] if titles else place + topic}”看最新的。")
    if coming.before_festival(today):
        return f"⚠️ {coming.year}年春节的{topic}{place}还没公布（{season.USUAL_PUBLICATION}）。"
    return f"⚠️ 还没查到{place}{coming.year}年春节的{topic}新措施。"


def status_line(entry: Entry, today: dt.date, topic: str = "", place: str = "") -> str:
    """The line under the heading: how much, and whether it is current."""
    state = season.status(entry, today)
    amount = f"💰 {entry.amount}｜" if entry.amount else ""
    if state == "standing":
        return f"{amount}✅ 长期有效，现在也适用。"
    if state == "current":
        period = validity_text(entry)
        year = entry.season_year()
        what = f"{year}年春节的措施" if year else "现行措施"
        return f"{amount}✅ {what}，现在有效" + (f"（{period}）。" if period else "。")
    if state == "upcoming":
        return f"{amount}🕒 {date_text(entry.valid_from)}开始。" if entry.valid_from else f"{amount}🕒 还没开始。"
    return _season_line(entry, today, state, topic, place)


def heading_mark(entry: Entry, state: str) -> str:
    """A mark before the title of a measure that is not current, so the first line is dated too."""
    if state == "historical":
        return "已废止·"
    if state in ("not_yet", "superseded"):
        return f"{entry.season_year()}年·"
    if state == "ended":
        return "已结束·"
    return ""


def source_text(entry: Entry) -> str:
    """The source as a person names it: the notice and its month, never a file name."""
    detail = " ".join(part for part in entry.source.split() if not part.endswith(".txt")).strip()
    if entry.cited_as:
        when = (f"{entry.issued.year}年{entry.issued.month}月" if entry.issued
                else f"{entry.season}年" if entry.season else "")
        if when:
            return f"{entry.cited_as}，{when}"
        return detail if detail and detail != "法律法规" else entry.cited_as
    return detail or entry.source


def answer_rest(entry: Entry, shown: str) -> str:
    """The answer without the sentences that only repeat what the card already shows (the amount,
    who qualifies, how to claim, whom to call); a sentence is kept whenever it carries a number the
    card does not show."""
    fields = [entry.title, entry.eligibility, entry.how_to_claim, entry.contact]
    core = re.search(r"\d+(?:\.\d+)?(?:-\d+)?万?(?:元|GB|G|个|份|名)", entry.amount or "")
    kept = []
    for sentence in SENTENCE_RE.findall(entry.answer):
        numbers = NUMBER_RE.findall(sentence)
        repeats = (bool(core and core.group(0) in sentence)
                   or any(_covered(sentence, other) for other in fields if other))
        if repeats and all(n in shown for n in numbers):
            continue
        kept.append(sentence.strip())
    return "".join(kept)


def _bigrams(text: str) -> set[str]:
    chars = re.sub(r"[^\u4e00-\u9fff\d]", "", text)
    return {chars[i:i + 2] for i in range(len(chars) - 1)}


def _covered(sentence: str, other: str) -> bool:
    """Most of the sentence's wording is already in `other`."""
    grams = _bigrams(sentence)
    return bool(grams) and len(grams & _bigrams(other)) / len(grams) >= 0.5


def entry_card(entry: Entry, gazetteer: Gazetteer, today: dt.date, aspect: str | None = None) -> Card:
    """One measure as a card. The first two lines say what it is, how much and whether it is
    current; then how to claim and whom to call; the aspect asked about in a follow-up comes first.

    An old seasonal measure leads with this season's situation and what to do now, and only then
    "N年的做法，供参考"; a COVID-era rule says it no longer applies and gives no advice; a standing
    right is never marked ended (its dated local extras are).
    """
    place = gazetteer.short(entry.region)
    topic = INTENT_NAMES.get(entry.intent, "措施")
    state = season.status(entry, today)
    card = Card(heading=f"{heading_mark(entry, state)}{entry.title}（{place}）")
    card.small = f"来源：{source_text(entry)}"
    if state == "historical":
        card.body = _season_line(entry, today, state, topic, place)
        if entry.amount and entry.intent not in RULE_INTENTS:
            card.notes.append(f"📜 当时的金额：{entry.amount}（仅供了解）。")
        if told_as_history(entry, today, aspect):
            # A follow-up on a part of an old benefit (算规上不, 要啥条件) is told how it was then.
            told = [(label, text) for label, text, parts in _then(entry) if aspect in parts]
            told.append(("当时的说明", answer_rest(entry, " ".join(filter(None, [entry.amount, *(t for _, t in told)])))))
            card.notes.extend(f"📜 {label}（仅供了解）：{text}" for label, text in told if text)
        if entry.contact and entry.intent not in RULE_INTENTS:
            # Whom to ask whether something like it is given now: the measure's own office.
            card.notes.append(f"想问现在有没有类似的帮扶，可以问：{entry.contact}。")
        card.notes.append("现在过年、出行、看病有疑问，打 12345 政务服务热线问当地；"
                          "今年的新措施公布了想收到通知，发 /subscribe。")
        return card
    first = status_line(entry, today, topic, place)
    shown = " ".join(filter(None, [entry.amount, entry.eligibility, entry.how_to_claim, entry.contact,
                                   validity_text(entry), first]))
    rest = answer_rest(entry, shown)
    if state in ("not_yet", "superseded", "ended"):
        year = entry.season_year()
        before = [first] + ([ASK_NOW] if state == "not_yet" else [])
        if state == "not_yet" and entry.intent in STANDING_HINT:
            before.append(STANDING_HINT[entry.intent])
        label = "当时的做法" if state == "ended" else f"{year}年的做法"
        old = f"📜 {label}，供参考" + (f"：{entry.amount}。" if entry.amount else "。")
        card.body = "\n".join([*before, old])
        lines = [("当时的说明", rest), ("当时谁能领", entry.eligibility), ("当时怎么领", entry.how_to_claim),
                 ("联系", entry.contact), ("当时的时间", validity_text(entry))]
    else:
        card.body = first
        lines = [("怎么领", entry.how_to_claim), ("联系", entry.contact), ("谁能领", entry.eligibility)]
        lines.insert(2 if entry.amount else 0, ("说明", rest))
        if state != "standing" and validity_text(entry) and validity_text(entry) not in first:
            lines.append(("时间", validity_text(entry)))
    lines = [(label, text) for label, text in lines if text]
    if aspect in ASPECT_LABELS:                 # the part a follow-up asked about comes first
        wanted = ASPECT_LABELS[aspect]
        lines.sort(key=lambda pair: not pair[0].endswith(wanted))
    card.lines = lines
    if state == "standing" and entry.local_note:
        year = entry.season_year()
        card.notes.append(f"📜 {year}年春节{place}另外的做法（当年的，今年的还没公布，供参考）：{entry.local_note}"
                          if not season.is_published(entry.region, entry.intent, season.coming_season(today).year)
                          else f"📜 {year}年春节{place}另外的做法（当年的，供参考）：{entry.local_note}")
    return card


def _then(entry: Entry) -> list[tuple[str, str, tuple[str, ...]]]:
    """The parts of an old measure as they were then: label, text, and the follow-ups that ask it."""
    return [("当时谁能领", entry.eligibility, ("eligibility", "family", "more")),
            ("当时怎么领", entry.how_to_claim, ("how_to_claim", "materials", "place")),
            ("当时的时间", validity_text(entry), ("validity",))]


def told_as_history(entry: Entry, today: dt.date, aspect: str | None) -> bool:
    """A follow-up on a part of an old COVID-era benefit: told as it was then, marked as history
    (the rules of those days are never told)."""
    return aspect in HISTORY_ASPECTS and entry.intent not in RULE_INTENTS and season.status(entry, today) == "historical"


def overview_card(result: MatchResult, gazetteer: Gazetteer, today: dt.date) -> Card:
    """"有啥福利": the region's measures, most specific first, each with its amount, and first of
    all whether they are this season's."""
    place = gazetteer.short(result.region)
    topic = INTENT_NAMES.get(result.intent, "") if result.intent != "red_packet" or len(
        {e.intent for e in result.entries}) == 1 else ""
    coming = season.coming_season(today)
    states = {e.id: season.status(e, today) for e in result.entries}
    old = sorted({e.season_year() or (e.issued or today).year for e in result.entries
                  if states[e.id] in ("not_yet", "superseded", "ended", "historical")})
    parts = []
    if result.group_missing:
        parts.append(f"{place}的通知里没有专门给{result.group_missing}的措施，下面是在{place}过年大家都能了解的：")
    if old:
        parts.append(f"⚠️ {coming.year}年春节的{topic or '措施'}{place}还没全部公布（{season.USUAL_PUBLICATION}），"
                     f"下面有{'、'.join(map(str, old))}年的做法，供参考；今年的以当地最新通知为准，可以打 12345 问问。")
    for entry in result.entries:
        line = f"• {entry.title}"
        if entry.amount:
            line += f"：{entry.amount}"
        if entry.region != result.region:
            line += f"（{gazetteer.short(entry.region)}）"
        if states[entry.id] == "standing":
            line += "（长期有效）"
        elif states[entry.id] == "historical":
            line += "（疫情期间的，已不再执行）"
        parts.append(line)
    parts.append("想了解哪一项，把它的名字发给我，我告诉你怎么领、找谁。")
    return Card(heading=f"{place}{topic or '就地过年的帮扶措施'}", body="\n".join(parts))


def ask_region_card(result: MatchResult, gazetteer: Gazetteer) -> Card:
    """The answer differs by place and we do not know where the worker is."""
    topic = INTENT_NAMES.get(result.intent, "帮扶措施")
    names = "、".join(gazetteer.short(r) for r in result.region_options[:8])
    where = "在哪个城市或区县上班？告诉我（比如“我在迎江区”），我给你当地的答案。"
    if result.home and result.region_in_text:
        # "我是湖南衡阳的": where the worker is from; the measures are where they work and stay.
        body = f"知道了，你老家是{gazetteer.short(result.region_in_text)}的。“{topic}”按你现在干活、过年的地方算：你现在{where}"
    else:
        body = f"“{topic}”各地不一样。你{where}"
    card = Card(heading=topic, body=body)
    if names:
        card.notes.append(f"我这里有这些地方的措施：{names}。")
    return card


def result_card(result: MatchResult, gazetteer: Gazetteer, today: dt.date) -> Card:
    """The whole reply for a match result."""
    if result.intent == "greeting":
        said = result.text.lower()
        return Card(body=ABOUT_ME if any(w in said for w in ABOUT_WORDS) else
                    GREETING if any(w in said for w in HELLO_WORDS) else
                    THANKS if any(w in said for w in THANKS_WORDS) else ACK)
    if result.kind == "overview":
        return overview_card(result, gazetteer, today)
    if result.kind == "ask_region":
        return ask_region_card(result, gazetteer)
    if result.fallback:
        if not result.text:
            return Card(body=EMPTY)
        if result.needs_topic:
            return Card(body=NEEDS_TOPIC)
        if result.region_in_text and not result.candidates:
            return Card(body=f"好的，你说的是{gazetteer.short(result.region_in_text)}。想问哪方面的政策？"
                             "比如红包补贴、免费流量、免费体检、法律援助。")
        if result.pointer:
            return Card(body=f"这个不在我能查的帮扶政策里。{result.pointer}")
        return Card(body=REMARK if result.remark else FALLBACK)
    topic = INTENT_NAMES.get(result.intent, "")
    if result.no_local or result.entry is None:
        names = "、".join(gazetteer.short(r) for r in result.region_options)
        body = (f"{gazetteer.short(result.region)}暂时没有查到“{topic}”方面的当地措施。"
                "当地情况可以打 12345 政务服务热线问问，或者问问单位和工会。")
        card = Card(heading=topic, body=body)
        if names:
            card.notes.append(f"有这项措施的地区：{names}。")
        return card
    part = result.aspect or ("more" if result.kind == "followup" else None)     # a follow-up asks something
    card = entry_card(result.entry, gazetteer, today, part)
    if result.kind == "followup":
        answers = []
        asked = [] if told_as_history(result.entry, today, part) else result.aspects or [result.aspect]
        for aspect in [a for a in asked if a and a != "more"][:3]:
            label, text, _stated = aspect_answer(result.entry, aspect, validity_text(result.entry), result.text or "")
            answers.append(f"👉 {label}：{text}")
        if result.only_one:
            answers.insert(0, f"👉 {topic}方面，{gazetteer.short(result.region or result.entry.region)}查到的就这一项。"
                              "想看别的帮扶，发“有啥福利”。")
        if answers:
            card.body = "\n".join(answers) + (f"\n\n{card.body}" if card.body else "")
        if result.stating and result.aspect:
            # The place's other measures of the topic that state the part asked: the worker may mean one of them.
            card.notes.append("同一地区同类的还有：")
            card.notes.extend(_part_lines(result.stating, result.aspect, result.text or "", amounts=False))
    if result.left_out is not None and result.left_out.eligibility:
        left = result.left_out
        card.body = f"ℹ️ “{left.title}”只给：{left.eligibility}。下面这项是给你的：" + (f"\n{card.body}" if card.body else "")
    same = [e for e in result.entries[1:4] if e.region == result.entry.region]
    if same and (result.kind == "measure" or result.kind == "followup" and result.region_in_text):
        # (A region switch, "那宜秀呢", lists the place's other measures too: its 1000元 beside the company's.)
        if result.kind == "measure" and result.aspect not in (None, "more", "amount"):
            # A question that asks a part ("讨薪去哪申请"): what each of the others says about it.
            card.notes.append("同一地区还有：")
            card.notes.extend(_part_lines(same, result.aspect, result.text or "", amounts=True))
        else:
            card.notes.append("同一地区还有：" + "；".join(
                f"{e.title}" + (f"（{e.amount}）" if e.amount else "") for e in same))
    if result.also:
        card.notes.append("你还问了：" + "；".join(e.title for e in result.also) + "。点下面的按钮看。")
    if result.ambiguous:
        others = [c.title for c in result.candidates[1:3] if c.entry_id != result.entry.id]
        if others:
            card.notes.append("不是你想问的？你也许想问：" + "；".join(others))
    return card


def _part_lines(entries: list[Entry], aspect: str, asked: str, *, amounts: bool) -> list[str]:
    """One line per measure: its title (with `amounts`, its amount too) and what it says about the part asked."""
    lines = []
    for entry in entries:
        label, text, _ = aspect_answer(entry, aspect, validity_text(entry), asked)
        amount = f"（{entry.amount}）" if amounts and entry.amount else ""
        lines.append(f"• {entry.title}{amount}——{label}：{_clip(text)}")
    return lines


def _clip(text: str, limit: int = STATING_CHARS) -> str:
    """A text cut to `limit` characters, marked with … when cut."""
    return text if len(text) <= limit else text[:limit].rstrip("，、；。 ") + "…"


def reply_text(result: MatchResult, gazetteer: Gazetteer, today: dt.date) -> str:
    """The plain-text reply a worker would see."""
    return result_card(result, gazetteer, today).plain()
