"""The one wiring point: build the Application, register every handler, open and close services."""

from __future__ import annotations

import logging

from telegram import BotCommand, Update
from telegram.error import Forbidden
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot import handlers_account as account
from bot import handlers_worker as worker
from bot import keyboards
from bot.config import Config
from bot.services import Services

log = logging.getLogger(__name__)
ERROR_TEXT = "抱歉，刚才出了点问题，请再发一次。着急的话可以打 12345 政务服务热线。"


async def error_handler(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log every error, mark users who blocked the bot, and tell the user kindly."""
    log.error("error while handling an update", exc_info=context.error)
    if not isinstance(update, Update) or update.effective_user is None:
        return
    services: Services | None = context.application.bot_data.get("services")
    if isinstance(context.error, Forbidden):
        if services:
            services.users.mark_blocked(update.effective_user.id)
        return
    if update.effective_chat:
        try:
            await context.bot.send_message(update.effective_chat.id, ERROR_TEXT)
        except Exception:  # noqa: BLE001 - nothing more to do; already logged above
            log.warning("could not tell the user about the error", exc_info=True)


async def post_init(app: Application) -> None:
    """Open the database and services once; publish the command menu."""
    config: Config = app.bot_data["config"]
    if "services" not in app.bot_data:
        app.bot_data["services"] = Services.open(config)
    await app.bot.set_my_commands([BotCommand(n, d) for n, d in worker.WORKER_COMMANDS])


async def post_shutdown(app: Application) -> None:
    """Close what post_init opened."""
    services: Services | None = app.bot_data.pop("services", None)
    if services:
        services.close()


def build_application(config: Config, services: Services | None = None) -> Application:
    """The Application with every handler, in the order they are tried."""
    app = (
        ApplicationBuilder()
        .token(config.token)
        .base_url(config.api_base_url)
        .rate_limiter(AIORateLimiter(max_retries=3))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    app.bot_data["config"] = config
    if services is not None:
        app.bot_data["services"] = services
    app.bot_data.setdefault("start_payloads", {})

    # 1. Worker commands.
    app.add_handler(CommandHandler("start", worker.start))
    app.add_handler(CommandHandler("help", worker.help_command))
    app.add_handler(CommandHandler("region", account.region))
    app.add_handler(CommandHandler("subscribe", account.subscribe))
    app.add_handler(CommandHandler("unsubscribe", account.unsubscribe))
    app.add_handler(CommandHandler("reminders", account.reminders))
    app.add_handler(CommandHandler("forget", account.forget))
    # 2. Buttons under messages.
    app.add_handler(CallbackQueryHandler(worker.entry_button, pattern=rf"^{keyboards.ENTRY}:"))
    app.add_handler(CallbackQueryHandler(worker.topic_button, pattern=rf"^{keyboards.TOPIC}:"))
    app.add_handler(CallbackQueryHandler(account.region_button, pattern=rf"^{keyboards.REGION}:"))
    app.add_handler(CallbackQueryHandler(account.save_region_button, pattern=rf"^{keyboards.SAVE_REGION}:"))
    app.add_handler(CallbackQueryHandler(account.forget_button, pattern=rf"^{keyboards.FORGET}:"))
    app.add_handler(CallbackQueryHandler(account.reminders_button, pattern=rf"^{keyboards.REMIND}:"))
    # 3. Anything else typed: unknown commands, then questions.
    app.add_handler(MessageHandler(filters.COMMAND, worker.unknown_command))
    app.add_handler(MessageHandler(filters.TEXT, worker.question))
    # 4. Messages that are not text.
    app.add_handler(MessageHandler(filters.LOCATION, worker.location))
    app.add_handler(MessageHandler(~filters.TEXT & ~filters.StatusUpdate.ALL, worker.non_text))
    # 5. One error handler for everything.
    app.add_error_handler(error_handler)
    return app


def run_bot(config: Config, webhook_url: str | None = None, listen: str = "0.0.0.0", port: int = 8443,
            secret: str | None = None) -> None:
    """Run until interrupted: long polling, or a webhook when a URL is given."""
    app = build_application(config)
    if webhook_url:
        app.run_webhook(listen=listen, port=port, url_path=config.token.split(":")[0], secret_token=secret,
                        webhook_url=f"{webhook_url.rstrip('/')}/{config.token.split(':')[0]}",
                        allowed_updates=Update.ALL_TYPES)
    else:
        app.run_polling(allowed_updates=Update.ALL_TYPES)
