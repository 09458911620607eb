"""The one wiring point: build the Application, register every handler, open and close services."""

from __future__ import annotations

import logging
import sys
import time

from telegram import BotCommand, Update
from telegram.error import Forbidden, InvalidToken, NetworkError, TimedOut
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    filters,
)

from bot import handlers_account as account
from bot import handlers_admin as admin
from bot import handlers_faq as faq
from bot import handlers_reminders as reminders
from bot import handlers_station as station
from bot import handlers_worker as worker
from bot import keyboards
from bot.config import Config
from bot.context import CONTEXT_TYPES
from bot.outbox_worker import OutboxWorker
from bot.render import esc
from bot.send import Lanes, send_html
from bot.services import Services
from bot.updates import (
    AlreadyRunning,
    InstanceLock,
    JournaledApplication,
    JournalQueue,
    PerChatProcessor,
    UpdateJournal,
)
from knowledge.outbox import Report

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
        app.bot_data["services"] = Services.open(config, background_index=True)
    services: Services = app.bot_data["services"]
    if isinstance(app.update_queue, JournalQueue):       # updates survive a crash (bot/updates.py)
        app.update_queue.journal = UpdateJournal(services.db)
    if isinstance(app, JournaledApplication):
        app.replay()
    await app.bot.set_my_commands([BotCommand(n, d) for n, d in worker.WORKER_COMMANDS])

    async def report(result: Report) -> None:
        if result.sender_id:
            title = services.notices.title(result.broadcast_id)     # the report names its notice
            await send_html(app.bot, result.sender_id, f"{result.text()}\n通知：{esc(title)}", services.users)

    lanes = app.bot.rate_limiter
    outbox_worker = OutboxWorker(app.bot, services.outbox, on_report=report, rate=config.outbox_rate,
                                 limiter=lanes.notices if isinstance(lanes, Lanes) else None,
                                 deadline=config.retry_deadline)
    outbox_worker.start()
    app.bot_data["outbox_worker"] = outbox_worker
    reminders.schedule(app)
    expire_questions(services, config)
    if app.job_queue is not None:
        async def daily_expiry(_context: ContextTypes.DEFAULT_TYPE) -> None:
            expire_questions(services, config)

        app.job_queue.run_repeating(daily_expiry, interval=86400, first=86400, name="expire-questions")
        if isinstance(app, JournaledApplication) and app.update_journal is not None:
            journal = app.update_journal

            async def prune_updates(_context: ContextTypes.DEFAULT_TYPE) -> None:
                journal.prune()

            app.job_queue.run_repeating(prune_updates, interval=3600, first=3600, name="prune-updates")


def expire_questions(services: Services, config: Config) -> None:
    """Logged questions older than the retention period (BOT_QUESTION_RETENTION_DAYS) are deleted,
    and drafts older than a month."""
    removed = services.users.expire_questions(config.retention_days)
    if removed:
        log.info("deleted %d logged questions older than %d days", removed, config.retention_days)
    pruned = services.drafts.prune()
    if pruned:
        log.info("deleted %d drafts older than a month", pruned)


async def post_stop(app: Application) -> None:
    """Stop the background sender before the application closes."""
    outbox_worker: OutboxWorker | None = app.bot_data.pop("outbox_worker", None)
    if outbox_worker:
        await outbox_worker.stop()


async def post_shutdown(app: Application) -> None:
    """Close what post_init opened."""
    await post_stop(app)
    services: Services | None = app.bot_data.pop("services", None)
    if services:
        services.close()


def build_application(config: Config, services: Services | None = None) -> Application:
    """The Application with every handler, in the order they are tried."""
    app = (
        ApplicationBuilder()
        .token(config.token)
        .base_url(config.api_base_url)
        .application_class(JournaledApplication)
        .context_types(CONTEXT_TYPES)
        # Times in jobs and dates are the bot's timezone; parse modes stay per message (plain
        # replies may quote what a user typed).
        .defaults(Defaults(tzinfo=config.tz))
        .update_queue(JournalQueue())
        .concurrent_updates(PerChatProcessor())
        # Two lanes: replies never wait behind notices (bot/send.py); the outbox worker owns notice retries.
        .rate_limiter(Lanes(rate=max(30.0, config.outbox_rate + 2), notice_rate=config.outbox_rate))
        .post_init(post_init)
        .post_stop(post_stop)
        .post_shutdown(post_shutdown)
        .build()
    )
    app.bot_data["config"] = config
    if services is not None:
        app.bot_data["services"] = services

    # 1. Worker commands.
    app.add_handler(CommandHandler("start", station.start_station, filters.Regex(r"^/start st_")))   # QR codes
    app.add_handler(CommandHandler("start", station.start_operator, filters.Regex(r"^/start op_")))  # invites
    app.add_handler(CommandHandler("start", worker.start))
    app.add_handler(CommandHandler("help", worker.help_command))
    app.add_handler(CommandHandler("region", account.region))
    app.add_handler(CommandHandler("subscribe", account.subscribe))
    app.add_handler(CommandHandler("unsubscribe", account.unsubscribe))
    app.add_handler(CommandHandler("reminders", account.reminders))
    app.add_handler(CommandHandler("forget", account.forget))
    app.add_handler(CommandHandler("stations", station.stations_command))
    app.add_handler(CommandHandler("cancel", worker.cancel))
    # 2. Station operators and admins (each handler refuses anyone else politely).
    app.add_handler(CommandHandler("notice", station.notice))
    app.add_handler(CommandHandler("broadcast", station.broadcast))
    app.add_handler(CommandHandler("faq", faq.faq))
    app.add_handler(CommandHandler("unanswered", faq.unanswered))
    app.add_handler(CommandHandler("stats", admin.stats))
    app.add_handler(CommandHandler("station", admin.station))
    app.add_handler(CommandHandler("grant", admin.grant))
    app.add_handler(CommandHandler("revoke", admin.revoke))
    app.add_handler(CommandHandler("remind", reminders.remind))
    # 3. Buttons under messages.
    app.add_handler(CallbackQueryHandler(worker.entry_button, pattern=rf"^{keyboards.ENTRY}:"))
    app.add_handler(CallbackQueryHandler(worker.topic_button, pattern=rf"^{keyboards.TOPIC}:"))
    app.add_handler(CallbackQueryHandler(account.region_button, pattern=rf"^{keyboards.REGION}:"))
    app.add_handler(CallbackQueryHandler(account.save_region_button, pattern=rf"^{keyboards.SAVE_REGION}:"))
    app.add_handler(CallbackQueryHandler(account.forget_button, pattern=rf"^{keyboards.FORGET}:"))
    app.add_handler(CallbackQueryHandler(account.reminders_button, pattern=rf"^{keyboards.REMIND}:"))
    app.add_handler(CallbackQueryHandler(account.watch_button, pattern=rf"^{keyboards.WATCH}:"))
    app.add_handler(CallbackQueryHandler(station.draft_button, pattern=rf"^{station.DRAFT}:"))
    app.add_handler(CallbackQueryHandler(faq.faq_button, pattern=rf"^{faq.FAQ}:"))
    app.add_handler(CallbackQueryHandler(admin.station_button, pattern=rf"^{admin.STATION}:"))
    app.add_handler(CallbackQueryHandler(faq.unanswered_button, pattern=rf"^{faq.UNANSWERED}:"))
    # 4. Anything else typed: unknown commands, then questions.
    app.add_handler(MessageHandler(filters.COMMAND, worker.unknown_command))
    app.add_handler(MessageHandler(filters.TEXT, worker.question))
    # 5. Messages that are not text.
    app.add_handler(MessageHandler(filters.LOCATION, station.station_location))
    app.add_handler(MessageHandler(~filters.TEXT & ~filters.StatusUpdate.ALL, worker.non_text))
    # 6. One error handler for everything.
    app.add_error_handler(error_handler)
    return app


def _one_line_network_errors(record: logging.LogRecord) -> bool:
    """Telegram unreachable is an expected state: one line, not a traceback."""
    if record.exc_info and isinstance(record.exc_info[1], (NetworkError, TimedOut)):
        if "Bootstrap" in record.getMessage():
            return False                  # run_bot says it in one line itself
        record.msg, record.args = f"{record.getMessage()} ({record.exc_info[1]})", None
        record.exc_info, record.exc_text = None, None
    return True


def run_bot(config: Config, webhook_url: str | None = None, listen: str = "0.0.0.0", port: int = 8443,
            secret: str | None = None, *, retry_seconds: float = 5.0, max_tries: int | None = None) -> int:
    """Run until interrupted: long polling, or a webhook when a URL is given.

    One process per database and token (a second one refuses, saying why). While Telegram
    cannot be reached, one line per try and a retry with backoff; an invalid token stops.
    Returns the exit status.
    """
    try:
        lock = InstanceLock(config.database, config.token).acquire()
    except AlreadyRunning as exc:
        print(f"不启动：{exc}", file=sys.stderr)
        return 3
    for handler in logging.getLogger().handlers:
        handler.addFilter(_one_line_network_errors)
    for name in ("telegram.ext", "telegram.ext.Updater", "telegram.ext.Application"):
        logging.getLogger(name).addFilter(_one_line_network_errors)
    wait, tries = retry_seconds, 0
    try:
        while True:
            tries += 1
            app = build_application(config)
            try:
                if webhook_url:
                    app.run_webhook(listen=listen, port=port, url_path=config.token.split(":")[0], secret_token=secret,
                                    webhook_url=f"{webhook_url.rstrip('/')}/{config.token.split(':')[0]}",
                                    allowed_updates=Update.ALL_TYPES, close_loop=False)
                else:
                    app.run_polling(allowed_updates=Update.ALL_TYPES, close_loop=False)
                return 0
            except InvalidToken:
                print("Telegram 不接受这个 TELEGRAM_BOT_TOKEN（401/404），请检查 .env。", file=sys.stderr)
                return 2
            except (NetworkError, TimedOut, OSError) as exc:
                print(f"连不上 Telegram（{config.api_base_url}）：{str(exc).splitlines()[0][:120]}；"
                      f"{wait:.0f} 秒后重试。", file=sys.stderr, flush=True)
                if max_tries is not None and tries >= max_tries:
                    return 4
                time.sleep(wait)
                wait = min(300.0, wait * 2)
    finally:
        lock.release()
