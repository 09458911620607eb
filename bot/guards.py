"""One role check for handlers: @admin_only and @operator_only (the rules live in knowledge/roles.py)."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import ContextTypes

ADMIN_ONLY = "抱歉，这个命令只有管理员可以用。"
OPERATOR_ONLY = "抱歉，这个命令只有服务站工作人员可以用。"
Handler = Callable[..., Awaitable[Any]]


def _guard(allowed: Callable[[Any, int], bool], refusal: str) -> Callable[[Handler], Handler]:
    def decorate(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def wrapper(update: Update, context: ContextTypes.DEFAULT_TYPE, *args: Any) -> Any:
            roles = context.application.bot_data["services"].roles
            if allowed(roles, update.effective_user.id):
                return await handler(update, context, *args)
            if update.callback_query:
                await update.callback_query.answer(refusal, show_alert=True)
            else:
                await update.effective_message.reply_text(refusal)
            return None
        return wrapper
    return decorate


admin_only = _guard(lambda roles, uid: roles.is_admin(uid), ADMIN_ONLY)
operator_only = _guard(lambda roles, uid: roles.is_admin(uid) or bool(roles.operator_station_ids(uid)), OPERATOR_ONLY)


def draft_id(data: str, pattern: str) -> tuple[str, int] | None:
    """(action, draft id) from callback data like `fq:ok:12`; None when it is malformed or an old
    button without an id (ids are bounded: a huge number is no draft)."""
    import re

    match = re.fullmatch(pattern, data or "")
    if not match:
        return None
    return match.group(1), int(match.group(2))
