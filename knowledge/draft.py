"""Turn an official notice into draft entries for staff to review (`kb draft`), and last year's
measures into a draft for the coming season (`kb rollover`).

Nothing here reaches workers: every draft entry is ``confirmed: false`` and lists the fields a
person must check in ``review``. The notice is split on its numbered items (一、 （一） 1. 一是
and bulletin paragraph heads), and from each item we extract amounts with their units (Chinese
numerals through cn2an), hotlines and phone numbers, dates and deadlines (N月N日前, 至N月N日,
春节前, 元宵节, 春节期间), and the responsible units. The topic is guessed by a function the caller
passes in (the CLI uses the matcher).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from knowledge.gazetteer import Gazetteer
from knowledge.models import ENTRY_INTENTS, INTENT_NAMES, Entry
from scheduler.holidays import chuxi, holiday

NUM = "一二三四五六七八九十"
MARKERS = [
    (1, re.compile(rf"[{NUM}]{{1,3}}、")),
    (2, re.compile(rf"[（(][{NUM}]{{1,3}}[）)]")),
    (3, re.compile(r"\d{1,2}[.．、](?!\d)")),
    (3, re.compile(rf"[{NUM}]{{1,2}}是")),
]
BEFORE_MARKER = set("。；;：:！？”」）)*\n") | {""}
BOLD_RE = re.compile(r"\*\*([^*\n]{2,40}?)\*\*")
HEAD_LINE_RE = re.compile(rf"^\s*(?:#+\s*|\*\*|[{NUM}]{{1,3}}、|[（(][{NUM}]{{1,3}}[）)]|\d{{1,2}}[.．、](?!\d))")

MONEY_RE = re.compile(r"(?:每人|每户|人均|每名|一次性)?约?\d+(?:\.\d+)?(?:[-~～至]\d+(?:\.\d+)?)?万?(?:元|G|GB)(?:/人)?")
COUNT_RE = re.compile(r"\d+(?:\.\d+)?万?(?:个|份|名)")
CN_MONEY_RE = re.compile(r"(?:每人|每户|一次性)?约?([零一二两三四五六七八九十百千万]+)(元|万元)")
PERCENT_RE = re.compile(r"百分之([一二三四五六七八九十百]+)")
PHONE_RE = re.compile(r"(?<![\d.-])(?:0\d{2,3}-)?\d{7,8}(?![\d.])|(?<!\d)1[3-9]\d{9}(?!\d)|(?<![\d.])12\d{3}(?![\d.])")
KNOWN_HOTLINES = {"12345": "政务服务便民热线", "12333": "人社服务热线", "12348": "法律援助热线",
                  "12351": "职工服务热线", "12315": "市场监管投诉举报热线"}
#: The general hotline that fits a topic, when the notice names none (as the reviewed KB does).
TOPIC_HOTLINE = {"red_packet": "12333", "data_bundle": "12345", "health_check": "12345", "legal_aid": "12348",
                 "wage_rights": "12333", "new_year_meal": "12345", "hardship_relief": "12345", "training": "12333",
                 "jobs": "12333", "culture_leisure": "12345", "travel": "12345", "prices_supplies": "12315",
                 "epidemic_prevention": "12345", "accommodation": "12345", "family_care": "12345",
                 "unemployment": "12333", "service_station": "12345"}
FULL_DATE_RE = re.compile(r"(\d{4})[年-](\d{1,2})[月-](\d{1,2})日?")
DATE_RE = re.compile(r"(?<!\d)(\d{1,2})月(\d{1,2})日")
UNIT_RE = re.compile(r"[（(](?:责任单位|牵头单位)?[:：]?([^（）()]{2,80}?(?:局|委|办|会|中心|院|队|部|所|站|街道|镇|园|团委|妇联|银行)"
                     r"(?:[、，][^（）()]{1,30})*)[）)]")
UNIT_WORD_RE = re.compile(r"(?:[区市县省]|[\u4e00-\u9fa5]{2,4}[区市县])?[\u4e00-\u9fa5]{1,8}?"
                          r"(?:人社局|人力资源和社会保障局|司法局|民政局|财政局|商务局|文旅局|卫健委|总工会|工会|团委|团市委|妇联|"
                          r"就业中心|残联|教育局|交通局|市场监管局|工信局|卫健局|人行|供销社)")
HISTORICAL_WORDS = ("核酸", "健康码", "中高风险", "非必要不", "就地过年", "减少流动", "减少出行", "防疫物资", "口罩", "疫情防控")
STANDING_WORDS = ("劳动法", "加班工资", "法律援助", "劳动仲裁", "失业保险", "工资支付条例")
WORKER_WORDS = ("补贴", "红包", "礼包", "慰问", "免费", "发放", "提供", "开放", "招聘", "培训", "优惠", "救助",
                "援助", "流量", "体检", "年夜饭", "热线", "服务", "价格", "营业", "保供", "运营", "工资", "加班")
MEASURE_RE = re.compile(r"发放|给予|赠送|提供|开放|组织|举办|免费|补贴|慰问|救助|鼓励|开展|推出|落实")
TOPICAL_HOTLINES = (("12351", ("工会", "职工")), ("12315", ("价格", "物价", "市场监管", "食品安全")),
                    ("12348", ("法律援助", "法律咨询", "法律服务", "维权", "纠纷", "调解")),
                    ("12333", ("人社", "就业", "培训", "工资", "社保", "招聘", "失业")))
ASK_TEMPLATES = ("{short}是什么", "{place}过年有什么{topic}", "{short}找谁问", "{short}谁能享受")
CLAIM_ASK = {"red_packet": "{short}怎么领", "data_bundle": "{short}怎么领", "health_check": "{short}在哪做",
             "jobs": "{short}怎么报名", "training": "{short}怎么报名", "new_year_meal": "{short}怎么订",
             "legal_aid": "{short}怎么申请", "hardship_relief": "{short}怎么申请"}
LEAD_VERBS = re.compile(r"^(?:开展|组织|加强|做好|落实|推出|举办|提供|实施|积极|鼓励|引导|优化|确保|强化|全力|切实|继续)+")


@dataclass
class Item:
    """One numbered item of the notice."""

    number: str
    level: int
    heading: str
    text: str
    parents: list[str] = field(default_factory=list)


@dataclass
class Draft:
    """A draft entry and what a person must check."""

    entry: Entry
    review: list[str]
    amounts: list[str]
    phones: list[str]

    def to_dict(self) -> dict[str, Any]:
        """The export format, plus a `review` list."""
        data = self.entry.to_dict()
        data.pop("issued", None)
        data.pop("cited_as", None)
        return data | {"review": self.review}


# ------------------------------------------------------------------------------------ splitting
def join_lines(text: str) -> str:
    """Undo the line breaks of PDF extraction; keep a break before a numbered heading."""
    lines = [line.strip() for line in text.replace("\r", "").split("\n")]
    out: list[str] = []
    for line in lines:
        if not line or set(line) <= {"-", "=", "*"}:
            continue
        line = re.sub(r"(?<![A-Za-z])\s+|\s+(?![A-Za-z])", "", line)   # spaces only matter between Latin words
        if out and not HEAD_LINE_RE.match(line) and not out[-1].startswith("#") and not _is_heading(out[-1]):
            out[-1] += line
        else:
            out.append(line.lstrip("# ").strip())
    return "\n".join(out)


def _is_heading(line: str) -> bool:
    return len(line) <= 40 and not re.search(r"[。；！？]$", line) and bool(HEAD_LINE_RE.match(line))


def split_items(text: str) -> list[Item]:
    """The numbered items of a notice, in order (leaves only: an item that only heads others
    gives its heading to them as context)."""
    text = join_lines(text)
    starts: list[tuple[int, int, str]] = []      # position, level, number
    for match in BOLD_RE.finditer(text):
        starts.append((match.start(), 1, match.group(1).strip("：: ")))
    for level, pattern in MARKERS:
        for match in pattern.finditer(text):
            before = text[match.start() - 1] if match.start() else ""
            if before in BEFORE_MARKER or before in " ":
                starts.append((match.start(), level, match.group(0)))
    starts.sort()
    kept: list[tuple[int, int, str]] = []
    for start in starts:
        if kept and start[0] - kept[-1][0] <= 3:
            kept[-1] = start if start[1] >= kept[-1][1] or kept[-1][2] in text[start[0]:start[0] + 40] else kept[-1]
            continue
        kept.append(start)
    starts = kept
    items: list[Item] = []
    parents: dict[int, str] = {}
    for i, (pos, level, number) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        chunk = text[pos:end].replace("**", "").strip()
        body = chunk[len(number):].strip() if chunk.startswith(number) else chunk
        first_line, _, rest = body.partition("\n")
        heading = first_line if _is_heading(chunk.split("\n")[0]) else ""
        parents[level] = heading or _clause(body)
        for deeper in [k for k in parents if k > level]:
            del parents[deeper]
        content = rest if heading else body
        items.append(Item(number=number, level=level, heading=heading, text=content.replace("\n", "").strip(),
                          parents=[parents[k] for k in sorted(parents) if k < level]))
    return items


def measure_items(items: list[Item]) -> list[Item]:
    """Items a worker could ask about; a long item with several measures is split at the
    sentences that start a new measure."""
    result = []
    for item in items:
        if len(item.text) < 15 or not any(w in item.text for w in WORKER_WORDS):
            continue
        sentences = re.findall(r"[^。；]+[。；]?", item.text)
        if len(item.text) <= 160 or len(sentences) < 3:
            result.append(item)
            continue
        groups: list[list[str]] = []
        for sentence in sentences:
            if not groups or (MEASURE_RE.search(sentence) and len("".join(groups[-1])) >= 40):
                groups.append([sentence])
            else:
                groups[-1].append(sentence)
        for n, group in enumerate(groups):
            text = "".join(group)
            if n and not any(w in text for w in WORKER_WORDS):
                result[-1].text += text
                continue
            result.append(Item(number=item.number if n == 0 else f"{item.number}({n + 1})", level=item.level,
                               heading=item.heading if n == 0 else "", text=text,
                               parents=item.parents + ([item.heading] if item.heading and n else [])))
    return result


SKIP_LEADS = ("对", "在", "同时", "结合", "通过", "按照", "为", "要", "根据", "坚持", "各", "全区", "全市")


def draft_title(text: str) -> str:
    """A short title: the first clause that states a measure (not a condition or a "为了…")."""
    clauses = [c.strip() for c in re.split(r"[，,。；;：:]", text) if c.strip()]
    for strict in (True, False):
        for clause in clauses:
            if len(clause) < 5 or not MEASURE_RE.search(clause):
                continue
            if strict and clause.startswith(SKIP_LEADS):
                continue
            return clause[:30]
    return clauses[0][:30] if clauses and len(clauses[0]) >= 4 else ""


def _clause(text: str, limit: int = 28) -> str:
    clause = re.split(r"[，,。；;：:]", text.replace("\n", ""), maxsplit=1)[0]
    return clause[:limit]


# ------------------------------------------------------------------------------------ extraction
def extract_amounts(text: str) -> list[str]:
    """Amounts with units exactly as written (money and data first, then counts)."""
    found = [m.group(0) for m in MONEY_RE.finditer(text)]
    for match in CN_MONEY_RE.finditer(text):
        import cn2an

        try:
            number = cn2an.cn2an(match.group(1), "smart")
        except ValueError:
            continue
        found.append(match.group(0).replace(match.group(1) + match.group(2), f"{int(number)}{match.group(2)}"))
    for match in PERCENT_RE.finditer(text):
        import cn2an

        try:
            found.append(f"{match.group(0)}（{int(cn2an.cn2an(match.group(1), 'smart'))}%）")
        except ValueError:
            continue
    counts = [m.group(0) for m in COUNT_RE.finditer(text)]
    return list(dict.fromkeys(found + counts))


def amount_core(text: str) -> str | None:
    """The number and unit of an amount ("每人约1000元慰问金" -> "1000元"), for comparison."""
    match = re.search(r"\d+(?:\.\d+)?(?:[-~～至]\d+(?:\.\d+)?)?万?(?:元|GB|G|个|份|名|%)", text)
    return match.group(0).replace("GB", "G") if match else None


def extract_phones(text: str) -> list[str]:
    """Hotlines and phone numbers, as digits."""
    return list(dict.fromkeys(m.group(0) for m in PHONE_RE.finditer(text)))


def notice_date(text: str) -> dt.date | None:
    """The notice's own date: the first full date in it."""
    match = FULL_DATE_RE.search(re.sub(r"\s+", "", text))
    if not match:
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def _year_for(month: int, day: int, season: int, after: dt.date | None) -> dt.date | None:
    for year in (season - 1, season):
        try:
            date = dt.date(year, month, day)
        except ValueError:
            return None
        if after is None or date >= after:
            if after is None and year == season - 1 and month < 9:
                continue
            return date
    try:
        return dt.date(season, month, day)
    except ValueError:
        return None


def extract_dates(text: str, season: int, issued: dt.date | None) -> tuple[dt.date | None, dt.date | None, list[str]]:
    """(valid_from, valid_to, notes) from an item's text."""
    notes = []
    start = end = None
    flat = re.sub(r"\s+", "", text).replace("今年", "").replace("本年", "")
    spans: list[tuple[int, int, dt.date]] = []
    for match in FULL_DATE_RE.finditer(flat):
        try:
            spans.append((match.start(), match.end(), dt.date(*map(int, match.groups()))))
        except ValueError:
            continue
    for match in DATE_RE.finditer(flat):
        if any(s <= match.start() < e for s, e, _ in spans):
            continue
        date = _year_for(int(match.group(1)), int(match.group(2)), season, issued)
        if date:
            spans.append((match.start(), match.end(), date))
    spans.sort()
    for i, (s, e, date) in enumerate(spans):
        after, before = flat[e:e + 3], flat[max(0, s - 3):s]
        if after.startswith(("前", "之前", "以前", "截止")) or re.search(r"(至|到|截至|截止)$", before):
            end = date
        elif after.startswith(("至", "到", "起", "开始")) or (i + 1 < len(spans) and flat[e:e + 1] in "至到-"):
            start = date
        else:
            notes.append(f"{date.isoformat()}：是活动日期还是截止日期？")
    if end is None and re.search(r"(至|到)元宵节?", flat):
        end = holiday(season, "yuanxiao")
        notes.append("截止日期按“至元宵节”推算，请核对")
    if end is None and re.search(r"(春节前|节前)(?!至)", flat):
        end = chuxi(season)
        notes.append("截止日期按“春节前”推算为除夕，请核对")
    if "春节期间" in flat and not (start or end):
        notes.append("通知写“春节期间”，没给具体日期")
    if start and end and start > end:
        start = None
    return start, end, notes


def extract_units(item: Item) -> list[str]:
    """Responsible units: （责任单位：…）, a bulletin paragraph head, or units named in the text."""
    units = []
    for match in UNIT_RE.finditer(item.text):
        units.extend(u.strip() for u in re.split(r"[、，,]", match.group(1)) if u.strip())
    for parent in item.parents:
        if UNIT_WORD_RE.fullmatch(parent.strip("：: ")):
            units.append(parent.strip("：: "))
    if not units:
        units = [m.group(0) for m in UNIT_WORD_RE.finditer(item.text)][:2]
    return list(dict.fromkeys(units))


# ------------------------------------------------------------------------------------ drafting
def region_for(item: Item, region: str, gazetteer: Gazetteer) -> str:
    """A sub-region the item is about (e.g. 迎江区 in a city bulletin), else `region`."""
    text = " ".join([*item.parents, item.heading, item.text[:40]])
    for name in sorted(gazetteer.descendants(region) - {region}, key=len, reverse=True):
        place = gazetteer.regions[name]
        for alias in [place.short, *place.aliases]:
            if alias and len(alias) >= 2 and alias in text:
                return name
    return region


def slug(gazetteer: Gazetteer, region: str) -> str:
    """An id prefix from a region name in pinyin."""
    from pypinyin import lazy_pinyin

    short = gazetteer.short(region)
    return "".join(lazy_pinyin(short))[:20] or "draft"


def questions_for(title: str, topic: str, place: str, intent: str = "", text: str = "") -> list[str]:
    """Short questions a worker might ask (a person rewrites them; flagged for review)."""
    quoted = re.findall(r"[“\"]([^”\"]{2,12})[”\"]", title + text)
    short = quoted[0] if quoted else LEAD_VERBS.sub("", re.sub(r"[“”\"《》（）()]", "", title))[:12] or topic
    asks = [t.format(topic=topic, place=place, short=short) for t in ASK_TEMPLATES]
    if intent in CLAIM_ASK:
        asks.insert(0, CLAIM_ASK[intent].format(short=short))
    return list(dict.fromkeys(asks))


def draft_notice(text: str, region: str, gazetteer: Gazetteer, guess_intent: Callable[[str], str | None],
                 season: int, source_name: str = "通知") -> list[Draft]:
    """Draft entries for every worker-facing item of a notice."""
    issued = notice_date(text)
    every = split_items(text)
    prefix = slug(gazetteer, region)
    period: tuple[dt.date | None, dt.date | None] = (None, None)
    for item in every:
        if "时间" in item.heading or item.text.startswith(("时间", "工作时间")):
            start, end, _ = extract_dates(item.text, season, issued)
            if start and end:
                period = (start, end)
    items = measure_items(every)
    drafts = []
    for n, item in enumerate(items, 1):
        review = ["answer：从通知原文摘的，请改成2-5句大白话", "questions：自动生成，请改成工人会说的话"]
        place_region = region_for(item, region, gazetteer)
        place = gazetteer.short(place_region)
        if place_region != region:
            review.append(f"region：按文中地名猜的（{place}）")
        title = item.heading or draft_title(item.text) or f"{place}的措施（待定标题）"
        guess = guess_intent(f"{title} {item.text[:60]}")
        intent = guess if guess in ENTRY_INTENTS else "service_station"
        review.append("intent：自动猜的话题" + ("" if guess in ENTRY_INTENTS else "（没猜出来）"))
        amounts = extract_amounts(item.text)
        money = [a for a in amounts if re.search(r"元|G|%", a)]
        amount = "；".join(money or amounts) or None
        if amounts:
            review.append("amount：核对金额和单位" + ("（数量，不一定是发给个人的）" if not money else ""))
        phones = extract_phones(item.text)
        for phone in phones:
            if phone not in KNOWN_HOTLINES:
                review.append(f"contact：{phone} 是办事电话还是通知的联系电话？")
        fallback = TOPIC_HOTLINE[intent]
        units = extract_units(item)
        hotlines = [f"{p}{KNOWN_HOTLINES.get(p, '')}" for p in phones]
        if not phones:
            context = " ".join([*item.parents, item.text])
            guessed = [p for p, words in TOPICAL_HOTLINES if any(w in context for w in words)] or [fallback]
            hotlines = [f"{p}{KNOWN_HOTLINES[p]}" for p in dict.fromkeys([*guessed, "12345"])]
            review.append(f"contact：通知没写电话，先填了{'、'.join(dict.fromkeys([*guessed, '12345']))}，请核对")
        if not units:
            review.append("contact：没找到责任单位")
        contact = "；".join([*units, *hotlines])
        start, end, notes = extract_dates(item.text, season, issued)
        if not (start or end) and period != (None, None):
            start, end = period
            notes.append("日期按通知的工作时间填的")
        review.extend(f"valid：{note}" for note in notes)
        words = " ".join([*item.parents, item.text])
        kind = "seasonal"
        if any(w in words for w in HISTORICAL_WORDS) and not money:
            kind = "historical"
            review.append("kind：含疫情防控字样，猜是已废止的疫情规定，请核对")
        elif any(w in item.text for w in STANDING_WORDS):
            kind = "standing"
            review.append("kind：像是法律规定的长期权利，请核对")
        eligibility = _eligibility(item.text)
        if not eligibility:
            review.append("eligibility：没找到“对…”的对象，请填写")
        entry = Entry(
            id=f"{prefix}-{season}-{n:02d}", intent=intent, region=place_region, title=title[:40],
            answer=_sentences(item.text, 3), eligibility=eligibility or "待核实：通知没写清楚谁能享受",
            how_to_claim=_how(item.text) or "待核实：通知没写怎么办，先问责任单位",
            contact=contact, source=f"{source_name} {item.number}{(' ' + item.parents[0]) if item.parents else ''}"[:200],
            amount=amount, valid_from=start, valid_to=end,
            keywords=[], questions=questions_for(title, INTENT_NAMES[intent], place, intent, item.text),
            season=season if kind != "standing" else None, kind=kind, confirmed=False,
        )
        drafts.append(Draft(entry=entry, review=review, amounts=amounts, phones=phones))
    return drafts


def _sentences(text: str, n: int) -> str:
    parts = re.findall(r"[^。；！？]+[。；！？]?", text)
    return "".join(parts[:n]).strip()[:600]


def _eligibility(text: str) -> str | None:
    match = re.search(r"(?:对|为|给|向|面向)([^，。；]{3,40}?)(?:发放|给予|赠送|提供|送上|开展|进行|免费)", text)
    return match.group(1) if match else None


def _how(text: str) -> str | None:
    match = re.search(r"[^。；]*(?:申请|申报|报名|登录|扫码|拨打|预约|到[^。；]{1,10}办理)[^。；]*[。；]?", text)
    return match.group(0).strip() if match else None


# ------------------------------------------------------------------------------------ rollover
def rollover(entries: list[Entry], region: str, to_season: int, regions: set[str]) -> list[Entry]:
    """Copies of a region's seasonal measures for `to_season`: new ids, dates cleared, unconfirmed."""
    copies = []
    for entry in entries:
        if entry.kind != "seasonal" or entry.region not in regions or (entry.season_year() or 0) >= to_season:
            continue
        base = entry.id.removesuffix(f"-{entry.season_year()}")[:52]
        copies.append(dataclasses.replace(
            entry, id=f"{base}-{to_season}", season=to_season, valid_from=None, valid_to=None, issued=None,
            confirmed=False, cited_as=None, source=f"待核实：{to_season}年通知（沿用{entry.season_year()}年：{entry.source}）"[:300],
            questions=list(entry.questions), keywords=list(entry.keywords)))
    return copies


# ------------------------------------------------------------------------------------ measuring
@dataclass
class Score:
    """How a draft of one seed compares with the reviewed entries of that seed."""

    seed: str
    items: int
    measures: int
    found: int
    amounts: int
    amounts_found: int
    hotlines: int
    hotlines_found: int
    deadlines: int
    deadlines_found: int

    def share(self, a: int, b: int) -> str:
        return f"{a}/{b} ({100 * a / b:.0f}%)" if b else "–"

    def row(self) -> str:
        both = self.share(self.amounts_found + self.hotlines_found, self.amounts + self.hotlines)
        return (f"| {self.seed} | {self.items} | {self.share(self.found, self.measures)} | "
                f"{self.share(self.amounts_found, self.amounts)} | {self.share(self.hotlines_found, self.hotlines)} | "
                f"{both} | {self.share(self.deadlines_found, self.deadlines)} |")


def _bigrams(text: str) -> set[str]:
    chars = re.sub(r"[^\u4e00-\u9fa5\d]", "", text)
    return {chars[i:i + 2] for i in range(len(chars) - 1)}


def score(seed: str, drafts: list[Draft], reviewed: list[Entry]) -> Score:
    """Measures found (some draft item carries most of the entry's wording), and amounts, hotlines
    and deadlines of the reviewed entries that the draft extracted exactly."""
    item_grams = [_bigrams(d.entry.answer + d.entry.title + " ".join(d.amounts)) for d in drafts]
    full_grams = [_bigrams(d.entry.title) | g for d, g in zip(drafts, item_grams, strict=True)]
    found = 0
    for entry in reviewed:
        grams = _bigrams(entry.title) | _bigrams(entry.answer)
        if grams and max((len(grams & g) / len(grams) for g in full_grams), default=0) >= 0.25:
            found += 1
    draft_amounts = {amount_core(a) for d in drafts for a in (d.entry.amount or "").split("；")} - {None}
    amounts = [amount_core(e.amount) for e in reviewed if e.amount and amount_core(e.amount)]
    draft_phones = {p for d in drafts for p in re.findall(r"\d{5,}", d.entry.contact)}
    hotlines = sorted({p for e in reviewed for p in re.findall(r"(?<![\d-])\d{5,8}(?![\d-])", e.contact + e.answer)})
    deadlines = sorted({e.valid_to for e in reviewed if e.valid_to})
    draft_deadlines = {d.entry.valid_to for d in drafts}
    return Score(seed=seed, items=len(drafts), measures=len(reviewed), found=found, amounts=len(amounts),
                 amounts_found=sum(1 for a in amounts if a in draft_amounts), hotlines=len(hotlines),
                 hotlines_found=sum(1 for p in hotlines if p in draft_phones), deadlines=len(deadlines),
                 deadlines_found=sum(1 for d in deadlines if d in draft_deadlines))
