"""Mask personal numbers in workers' questions before they are logged.

Workers type things like "我叫张三，电话 139 1234 5678，身份证 34080219900101123X，工资卡
6222 0212 3456 7890 123". The question log keeps the words (to improve answers) and never
the numbers: mobile and landline phone numbers, ID-card numbers and bank-card numbers are
replaced by a label. Full-width digits count as digits.
"""

from __future__ import annotations

import re

_FULL_WIDTH = str.maketrans("０１２３４５６７８９Ｘｘ－", "0123456789Xx-")
_SEP = r"[ \-]?"
# An 18-character ID-card number (or the old 15-digit one): region, birth date, sequence, check.
ID_CARD = re.compile(r"(?<![0-9])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]"
                     r"(?![0-9])|(?<![0-9])[1-9]\d{7}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}(?![0-9])")
# A bank card: 16 to 19 digits, often written in groups of four.
BANK_CARD = re.compile(r"(?<![0-9])\d{4}(?:[ \-]?\d{4}){3}(?:[ \-]?\d{1,3})?(?![0-9])")
# A mainland mobile number (with or without +86), written in one piece or as 3-4-4.
MOBILE = re.compile(r"(?:(?:\+|00)?86[ \-]?)?(?<![0-9])1[3-9]\d" + _SEP + r"\d{4}" + _SEP + r"\d{4}(?![0-9])")
# A landline with its area code: 010-12345678, 0556-5897061, (021)12345678.
LANDLINE = re.compile(r"(?<![0-9])(?:\(0\d{2,3}\)|0\d{2,3}[ \-]?)\d{7,8}(?![0-9])")
# Anything else that is a long run of digits (8 or more) is masked too.
LONG_NUMBER = re.compile(r"(?<![0-9])\d{8,}(?![0-9])")

MASKS = ((ID_CARD, "[身份证号]"), (BANK_CARD, "[银行卡号]"), (MOBILE, "[手机号]"), (LANDLINE, "[电话]"),
         (LONG_NUMBER, "[号码]"))


def mask_personal_numbers(text: str) -> str:
    """The text with phone, ID-card and bank-card numbers replaced by labels."""
    text = text.translate(_FULL_WIDTH)
    for pattern, label in MASKS:
        text = pattern.sub(label, text)
    return text
