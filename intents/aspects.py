"""Answers to a follow-up about one part of a measure (materials, deadline, cost, place,
phone, who qualifies, family), read from that entry's own fields. When the entry does not
say, the answer says so plainly instead of guessing."""

from __future__ import annotations

import datetime as dt
import re

from knowledge.models import Entry

#: Label a worker reads for each aspect.
LABELS = {"how_to_claim": "怎么领", "contact": "联系", "amount": "金额", "eligibility": "谁能领",
          "validity": "时间", "materials": "要带的材料", "cost": "收不收费", "place": "在哪办",
          "family": "家属能不能一起"}
#: Words that show a sentence speaks of the aspect.
CLUES = {
    "materials": ("带", "证件", "身份证", "材料", "资料", "证明", "凭", "登记", "工作证", "劳动合同", "扫码"),
    "cost": ("免费", "不收费", "收费", "费用", "自费", "减免", "补贴", "元", "赠送", "送"),
    "place": ("到", "在", "地点", "地址", "现场", "窗口", "服务站", "社区", "街道", "医院", "中心"),
    "family": ("家属", "家人", "子女", "孩子", "配偶", "老人", "全家", "一家", "亲属", "随迁"),
    "validity": ("前", "截止", "至", "期间", "之前", "以前", "日起", "月底"),
}
#: Words that show a sentence says how much (or that the notice does not say).
HOW_MUCH = ("金额", "标准", "发多少", "给多少")
#: Words that show a sentence says when something is done.
WHEN = ("时间", "日期", "什么时候", "哪天", "几号")
ASK_WHEN = re.compile(r"问|咨询|为准")     # ... in a sentence that says whom to ask
_SENTENCES = re.compile(r"[^。；;！!？?\n]+[。；;！!？?]?")
_ONLINE = re.compile(r"网址|链接|网站|网页|公众号|小程序|二维码|app|APP|平台|网上")
_TOP_UP = re.compile(r"(?:另外|还|再|也)(?:要|会|得)?(?:补|发|给|配)")
_EMPLOYER = re.compile(r"(?:企业|单位|厂|公司)[^。；，,]{0,10}(?:配套|另外|额外|再发|另发|补助|补贴|红包|礼包|发放|发)")
_DEADLINE = re.compile(r"\d{1,2}月\d{1,2}日(?:前|之前|以前|起|至\d{1,2}月\d{1,2}日)?|春节期间|节前|节后")


def validity_text(entry: Entry) -> str | None:
    """The period of a measure in words, or None."""
    if entry.valid_from and entry.valid_to:
        return f"{date_text(entry.valid_from)}至{date_text(entry.valid_to)}"
    if entry.valid_to:
        return f"截至{date_text(entry.valid_to)}"
    if entry.valid_from:
        return f"{date_text(entry.valid_from)}起"
    return None


def date_text(day: dt.date) -> str:
    """A date as people write it (2021年2月28日)."""
    return f"{day.year}年{day.month}月{day.day}日"


def _sentences(*texts: str | None) -> list[str]:
    return [s.strip() for t in texts if t for s in _SENTENCES.findall(t) if s.strip()]


def _mentioning(clues: tuple[str, ...], *texts: str | None) -> list[str]:
    return [s for s in _sentences(*texts) if any(c in s for c in clues)]


def aspect_answer(entry: Entry, aspect: str, validity: str | None = None, asked: str = "") -> tuple[str, str, bool]:
    """(label, text, stated): what the entry says about the aspect; `stated` is False when it
    says nothing, and then the text says so and whom to ask. `asked` is the worker's question:
    a web address asked for, or what the employer adds, that the card does not give is said so."""
    label = LABELS.get(aspect, LABELS["how_to_claim"])
    ask = f"办之前可以先打电话问清楚：{entry.contact}" if entry.contact else "可以打 12345 政务服务热线问问。"
    card = f"{entry.answer} {entry.how_to_claim} {entry.contact}"
    if aspect == "contact" and _ONLINE.search(asked) and not _ONLINE.search(card):
        return label, f"通知里没有写网址或公众号。{ask}", False
    if aspect == "contact":
        return label, entry.contact, bool(entry.contact)
    if aspect == "amount" and _TOP_UP.search(asked) and not _EMPLOYER.search(card):
        return label, f"通知里没有写单位另外补不补。{ask}", False
    if aspect == "amount":
        if entry.amount:
            return label, entry.amount, True
        # "这是鼓励性措施，通知没有规定金额，发不发、发多少要看你所在的企业": the card's own words on it.
        said = _mentioning(HOW_MUCH, entry.answer)
        return label, "".join(said) or f"通知里没有写具体金额。{ask}", False
    if aspect in ("eligibility",):
        return label, entry.eligibility, bool(entry.eligibility)
    if aspect == "validity":
        # "具体时间问单位或社区": whom the card says to ask when, besides its dates (the first such sentence).
        when = [w for w in _mentioning(WHEN, entry.answer, entry.how_to_claim) if ASK_WHEN.search(w)][:1]
        if validity:
            return label, "；".join([validity, *(w.rstrip("。；;") for w in when)]) + ("。" if when else ""), True
        found = [m.group(0) for m in _DEADLINE.finditer(f"{entry.answer} {entry.how_to_claim}")]
        if found:
            return label, "通知里写的是：" + "、".join(dict.fromkeys(found)), True
        return label, f"通知里没有写截止日期。{ask}", False
    if aspect in ("materials", "cost", "family"):
        said = _mentioning(CLUES[aspect], entry.how_to_claim, entry.answer, entry.eligibility)
        if aspect == "cost" and not said:
            said = _mentioning(CLUES[aspect], entry.title)
        if aspect == "cost" and not said and entry.amount:
            said = [f"通知里没有说要交钱，给的是：{entry.amount}"]
        if said:
            return label, "".join(dict.fromkeys(said)), True
        what = {"materials": "需要带哪些材料", "cost": "收不收费", "family": "家属能不能一起"}[aspect]
        return label, f"通知里没有写{what}。{ask}", False
    if aspect == "place":
        said = _mentioning(CLUES["place"], entry.how_to_claim) or _mentioning(CLUES["place"], entry.answer)
        return label, "".join(said) or entry.how_to_claim, True
    return LABELS["how_to_claim"], entry.how_to_claim, bool(entry.how_to_claim)
