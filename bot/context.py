"""The custom context type: handlers reach the services as `context.services` (no registries)."""

from __future__ import annotations

from telegram.ext import CallbackContext, ContextTypes, ExtBot

from bot.services import Services


class BotContext(CallbackContext[ExtBot, dict, dict, dict]):
    """CallbackContext with the services opened in post_init."""

    @property
    def services(self) -> Services:
        return self.application.bot_data["services"]


CONTEXT_TYPES = ContextTypes(context=BotContext)


def services(context: CallbackContext) -> Services:
    """The services opened in post_init (for handlers typed with the default context)."""
    return context.application.bot_data["services"]
