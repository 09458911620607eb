"""Reply and inline keyboards. Callback data is short: `<kind>:<value>`, at most 64 bytes."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup

from knowledge.gazetteer import Gazetteer
from knowledge.models import INTENT_NAMES

MAIN_TOPICS = ("red_packet", "data_bundle", "health_check", "legal_aid", "wage_rights", "new_year_meal")
MORE_LABEL = "更多…"
MORE_TOPICS = ("hardship_relief", "training", "jobs", "culture_leisure", "travel", "prices_supplies",
               "epidemic_prevention", "accommodation", "family_care", "unemployment", "service_station")

# Callback kinds
ENTRY = "q"          # q:<entry id>        answer this entry
TOPIC = "t"          # t:<intent>          answer this topic
REGION = "rg"        # rg:<region name>    choose region (city, then district)
SAVE_REGION = "rs"   # rs:<region name>    save the region named in a question
FORGET = "fg"        # fg:yes | fg:no
REMIND = "rm"        # rm:on | rm:off
WATCH = "sw"         # sw:<region name>    tell me when this season's measures for the region are out


def main_keyboard() -> ReplyKeyboardMarkup:
    """The persistent topic keyboard under the chat."""
    names = [INTENT_NAMES[i] for i in MAIN_TOPICS] + [MORE_LABEL]
    rows = [names[i:i + 3] for i in range(0, len(names), 3)]
    return ReplyKeyboardMarkup([[KeyboardButton(n) for n in row] for row in rows], resize_keyboard=True,
                               is_persistent=True, input_field_placeholder="打字提问，比如：留岗红包怎么领")


def more_topics() -> InlineKeyboardMarkup:
    """Every other topic as buttons."""
    buttons = [InlineKeyboardButton(INTENT_NAMES[i], callback_data=f"{TOPIC}:{i}") for i in MORE_TOPICS]
    return InlineKeyboardMarkup([buttons[i:i + 3] for i in range(0, len(buttons), 3)])


def entry_buttons(items: list[tuple[str, str]], prefix: str = "") -> InlineKeyboardMarkup | None:
    """One button per (entry id, title)."""
    rows = [[InlineKeyboardButton(f"{prefix}{title}"[:60], callback_data=f"{ENTRY}:{entry_id}")]
            for entry_id, title in items if len(f"{ENTRY}:{entry_id}".encode()) <= 64]
    return InlineKeyboardMarkup(rows) if rows else None


def region_buttons(gazetteer: Gazetteer, parent: str | None) -> InlineKeyboardMarkup:
    """Cities first (provinces are skipped), then the districts of the chosen city."""
    if parent is None:
        options = []
        for province in gazetteer.children(None):
            cities = gazetteer.children(province.name)
            options.extend(cities if cities and province.name != "上海市" else [province])
    else:
        options = [gazetteer.get(parent)] + gazetteer.children(parent)
    buttons = []
    for region in options:
        label = f"整个{region.short}" if parent and region.name == parent else region.short
        kind = SAVE_REGION if parent else REGION   # a city opens its districts; a district is saved
        buttons.append(InlineKeyboardButton(label, callback_data=f"{kind}:{region.name}"))
    return InlineKeyboardMarkup([buttons[i:i + 3] for i in range(0, len(buttons), 3)])


def save_region_button(gazetteer: Gazetteer, region: str) -> InlineKeyboardMarkup | None:
    """Offer to save a region named in a question (none when its name does not fit in the
    64 bytes Telegram allows a button's data; /region still works)."""
    data = f"{SAVE_REGION}:{region}"
    if len(data.encode()) > 64:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(f"📍 把地区设为{gazetteer.short(region)}", callback_data=data)]])


def confirm_forget() -> InlineKeyboardMarkup:
    """Yes / no for /forget."""
    return InlineKeyboardMarkup([[InlineKeyboardButton("确定删除", callback_data=f"{FORGET}:yes"),
                                  InlineKeyboardButton("算了", callback_data=f"{FORGET}:no")]])


def with_watch_button(markup: InlineKeyboardMarkup | None, region: str) -> InlineKeyboardMarkup | None:
    """Add "公布了告诉我" (subscribe to the region's notices) under the other buttons."""
    data = f"{WATCH}:{region}"
    if len(data.encode()) > 64:
        return markup
    row = [InlineKeyboardButton("🔔 今年的公布了告诉我", callback_data=data)]
    rows = [list(r) for r in markup.inline_keyboard] if markup else []
    return InlineKeyboardMarkup([*rows, row])
