"""Reminders in the bot: the every-minute job that queues due reminders, and /remind for admins."""

from __future__ import annotations

import datetime as dt
import logging

from telegram import Update
from telegram.ext import Application, ContextTypes

from bot.context import services
from bot.guards import admin_only
from bot.render import esc
from bot.send import send_html
from knowledge.errors import KnowledgeError
from scheduler.reminders_admin import listing

log = logging.getLogger(__name__)
JOB_ID = "send-due-reminders"
REMIND_HELP = ("<b>/remind 用法</b>\n/remind list - 所有提醒\n/remind edit KEY text 新文字\n/remind edit KEY time 09:30\n"
               "/remind add 地区 2027-02-05 15:00 文字 - 自定义提醒\n/remind cancel KEY")


async def send_due(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Queue every reminder and scheduled notice that is due now (idempotent: each goes out once)."""
    svc = services(context)
    queued = svc.reminders.send_due(dt.datetime.now(svc.config.tz), svc.outbox)
    for notice_id, broadcast_id in svc.notices.release_due():
        queued.append((f"notice:{notice_id}", broadcast_id or 0))
        if broadcast_id is None:           # the author lost the role before the send time
            row = svc.notices.get(notice_id)
            await send_html(context.bot, row["author"], f"定时通知 #{notice_id}（{esc(row['text'][:20])}）没有发出："
                            "你已不是这个服务站的工作人员。", svc.users)
    if queued:
        log.info("queued reminders: %s", queued)
        worker = context.application.bot_data.get("outbox_worker")
        if worker:
            worker.wake()


def schedule(app: Application) -> None:
    """Register the job with a stable id; the first run (right away) catches up on missed reminders."""
    app.job_queue.run_repeating(send_due, interval=60, first=1, name=JOB_ID,
                                job_kwargs={"id": JOB_ID, "replace_existing": True})


@admin_only
async def remind(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List, edit, add and cancel reminders (admins)."""
    svc = services(context)
    parts = (update.effective_message.text or "").split(maxsplit=4)
    verb = parts[1] if len(parts) > 1 else ""
    actor = f"admin:{update.effective_user.id}"
    try:
        if verb == "list":
            lines = listing(svc.reminders, svc.config.today())
            text = "\n".join(
                f"<code>{esc(r.key)}</code> "
                + (f"{r.next_day:%Y-%m-%d} {r.time}" if r.next_day else f"（今明两季不发）{r.time}")
                + ("（已取消）" if r.cancelled else "") + f" {esc(r.name)}：{esc(r.text[:50])}"
                for r in lines) or "没有提醒。"
            await update.effective_message.reply_html(text[:4000])
        elif verb == "edit" and len(parts) >= 5 and parts[3] in ("text", "time"):
            svc.reminders.edit(parts[2], actor, **{parts[3]: parts[4]})
            await update.effective_message.reply_text(f"已修改 {parts[2]}。")
        elif verb == "add" and len(parts) >= 5:
            region = svc.gazetteer.resolve(parts[2]).name
            date_text, _, rest = parts[3], None, parts[4]
            time_text, _, text = rest.partition(" ")
            key = svc.reminders.add_custom(region, dt.date.fromisoformat(date_text), time_text, text, actor)
            await update.effective_message.reply_text(f"已添加提醒 {key}。")
        elif verb == "cancel" and len(parts) >= 3:
            svc.reminders.cancel(parts[2], actor)
            await update.effective_message.reply_text(f"已取消 {parts[2]}。")
        else:
            await update.effective_message.reply_html(REMIND_HELP)
    except (KnowledgeError, ValueError) as exc:
        await update.effective_message.reply_text(f"没办成：{exc}")
