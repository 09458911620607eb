"""The buttons under a preview: each carries its draft's id; one tap handler for every kind."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot.context import services
from bot.guards import draft_id
from knowledge.errors import KnowledgeError

EXPIRED = "这个按钮已失效或不完整，没有改动。请重新发起。"


def confirm_buttons(prefix: str, draft: int, ok: tuple[str, str] = ("确认保存", "ok"),
                    no: tuple[str, str] = ("取消", "no")) -> InlineKeyboardMarkup:
    """[ok] [cancel] for one draft: `<prefix>:<action>:<draft id>`."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(ok[0], callback_data=f"{prefix}:{ok[1]}:{draft}"),
                                  InlineKeyboardButton(no[0], callback_data=f"{prefix}:{no[1]}:{draft}")]])


async def decide(update: Update, context: ContextTypes.DEFAULT_TYPE, pattern: str,
                 confirm: Callable[[int, int], Awaitable[None]], cancelled: str, refused: str = "没办成") -> None:
    """A tap on a preview's button: cancel its draft, or `confirm(draft id, user id)`; the use case
    re-checks author, role and state, and its refusal is shown in words."""
    query = update.callback_query
    await query.answer()
    parsed = draft_id(query.data, pattern)
    if parsed is None:
        await query.edit_message_text(EXPIRED)
        return
    action, number = parsed
    user_id = update.effective_user.id
    try:
        if action in ("no", "cancel"):
            services(context).drafts.cancel(number, user_id)
            await query.edit_message_reply_markup(None)
            await query.message.reply_text(cancelled)
            return
        await confirm(number, user_id)
    except KnowledgeError as exc:
        await query.message.reply_text(f"{refused}：{exc}")
        return
