"""Admin handlers: /stats, /station (create, edit, invite operators, QR code), /grant."""

from __future__ import annotations

import asyncio
import io
import logging
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import segno
from telegram import Update
from telegram.ext import ContextTypes
from telegram.helpers import create_deep_linked_url

from bot.charts import questions_chart
from bot.context import services
from bot.draft_buttons import confirm_buttons, decide
from bot.guards import admin_only
from bot.handlers_station import station_html
from bot.render import esc
from knowledge.analytics import stats as compute_stats
from knowledge.errors import KnowledgeError
from knowledge.models import INTENT_NAMES

log = logging.getLogger(__name__)

STATION_HELP = ("<b>/station 用法</b>\n/station list\n/station add 名称；地区；地址；电话；春节开放时间\n"
                "/station edit ID 字段=值（字段：name region address phone hours lat lon）\n"
                "/station invite ID - 生成一次性工作人员邀请链接（48 小时有效）\n"
                "/station unop ID 用户id - 移除工作人员\n/station qr ID - 订阅二维码")
ADMIN_HELP = ("\n\n<b>管理员命令</b>\n/faq - 搜索、查看、新增、修改、删除条目\n/unanswered - 答不上来的问题\n"
              "/stats - 统计\n/station - 管理服务站\n/broadcast 地区 内容 - 给地区订阅者发通知\n"
              "/grant 用户id - 添加管理员\n/revoke 用户id - 撤销管理员\n/remind - 节日和截止提醒")
OPERATOR_HELP = ("\n\n<b>服务站工作人员</b>\n/notice 内容 - 给本站订阅者发通知（可在内容前加 2027-02-05 18:00 定时）\n"
                 "/notice list - 待发的定时通知\n/notice cancel 编号 - 取消定时通知")


STATION = "sa"        # sa:ok:<draft id> | sa:no:<draft id>
STATION_RE = rf"{STATION}:(ok|no):(\d{{1,15}})"


@admin_only
async def station_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """确认保存 or 取消 under a station edit preview: acts on that preview's own draft."""
    async def apply(number: int, user_id: int) -> None:
        changed = services(context).station_admin.apply(number, user_id)
        await update.callback_query.edit_message_reply_markup(None)
        await update.callback_query.message.reply_html("已更新\n" + station_html(changed))

    await decide(update, context, STATION_RE, apply, "已取消，没有改动。")


def station_link(bot_username: str, station_id: int) -> str:
    """The deep link a station's QR code opens."""
    return create_deep_linked_url(bot_username, f"st_{station_id}")


def _poster_pdf(station: Any, svc: Any, username: str) -> bytes | None:
    """The station's printable A4 poster as PDF bytes (None when no CJK font is installed)."""
    from bot.poster import write_poster

    with tempfile.TemporaryDirectory() as tmp:
        try:
            files = write_poster(station, svc.gazetteer.short(station.region), Path(tmp) / "poster.png",
                                 public_url=svc.config.public_url, bot_username=username)
        except (KnowledgeError, OSError) as exc:
            log.warning("no poster for station %s: %s", station.id, exc)
            return None
        return files.pdf.read_bytes() if files.pdf else None


def qr_png(url: str) -> bytes:
    """A printable QR code."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=10, border=4)
    return buffer.getvalue()


def role_help(context: ContextTypes.DEFAULT_TYPE, user_id: int) -> str:
    """Extra /help lines for admins and operators (nothing for everyone else)."""
    roles = services(context).roles
    text = ""
    if roles.operator_station_ids(user_id):
        text += OPERATOR_HELP
    if roles.is_admin(user_id):
        text += ADMIN_HELP
    return text


@admin_only
async def stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Questions per day, answered rate, top intents and regions, subscribers; text and PNG."""
    svc = services(context)
    s = compute_stats(svc.db, tz=svc.config.tz)
    lines = [f"<b>最近 14 天</b>：提问 {s.total}，答上 {s.answered}（{s.answered_rate:.0%}）",
             f"用户 {s.users}，订阅 {s.subscribers}，屏蔽 {s.blocked}", "", "<b>热门话题</b>"]
    lines += [f"{esc(INTENT_NAMES.get(i, i))}：{n}" for i, n in s.top_intents]
    lines += ["", "<b>热门地区</b>"] + [f"{esc(svc.gazetteer.short(r))}：{n}" for r, n in s.top_regions]
    lines += ["", "<b>每天</b>"] + [f"{d}：{n} 问，答上 {a}" for d, n, a in s.days[-7:]]
    await update.effective_message.reply_html("\n".join(lines))
    await update.effective_chat.send_photo(questions_chart(s), caption="每天提问数")


def _number(text: str) -> int:
    """A station or user id typed in chat; ValueError in words for anything else (huge ones too)."""
    text = text.strip()
    if not text.isdigit() or len(text) > 15:
        raise ValueError(f"编号应为数字，不是“{text[:20]}”")
    return int(text)


@admin_only
async def station(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Create and edit stations, invite and remove operators, get the QR code."""
    svc = services(context)
    raw = (update.effective_message.text or "").split(maxsplit=2)
    verb = raw[1] if len(raw) > 1 else ""
    arg = raw[2] if len(raw) > 2 else ""
    actor = f"admin:{update.effective_user.id}"
    try:
        if verb == "list":
            found = svc.stations.all()
            text = "\n\n".join(f"#{s.id} " + station_html(s) for s in found) or "还没有服务站。"
            await update.effective_message.reply_html(text)
        elif verb == "add":
            parts = [p.strip() for p in arg.replace(";", "；").split("；")]
            keys = ("name", "region", "address", "phone", "hours")
            created = svc.stations.create(dict(zip(keys, parts, strict=False)), actor)
            await update.effective_message.reply_html(f"已创建 #{created.id}\n" + station_html(created))
        elif verb == "edit":
            station_id, _, pair = arg.partition(" ")
            field, _, value = pair.partition("=")
            draft, after = svc.station_admin.propose(update.effective_user.id, _number(station_id),
                                                     {field.strip(): value.strip()})
            await update.effective_message.reply_html("<b>修改后：</b>\n" + station_html(after),
                                                      reply_markup=confirm_buttons(STATION, draft.id))
        elif verb == "invite":
            token = svc.stations.create_invite(_number(arg), update.effective_user.id)
            link = create_deep_linked_url(context.bot.username, f"op_{token}")
            await update.effective_message.reply_text(f"把这个链接发给工作人员（一次有效，48 小时内）：\n{link}")
        elif verb == "unop":
            station_id, _, user_id = arg.partition(" ")
            removed = svc.stations.remove_operator(_number(station_id), _number(user_id), actor)
            await update.effective_message.reply_text("已移除。" if removed else "这个人不是该站的工作人员。")
        elif verb == "qr":
            target = svc.stations.get(_number(arg))
            link = station_link(context.bot.username, target.id)
            await update.effective_chat.send_photo(qr_png(link), caption=f"{target.name} 订阅二维码\n{link}")
            poster = await asyncio.to_thread(_poster_pdf, target, svc, context.bot.username)
            if poster is not None:
                await update.effective_chat.send_document(poster, filename=f"station-{target.id}.pdf",
                                                          caption="可打印的 A4 海报")
        else:
            await update.effective_message.reply_html(STATION_HELP)
    except (KnowledgeError, ValueError, OverflowError) as exc:
        await update.effective_message.reply_text(f"没办成：{exc}")


def _user_id_arg(context: ContextTypes.DEFAULT_TYPE) -> int | None:
    text = (context.args or [""])[0]
    return int(text) if text.isdigit() and len(text) <= 15 else None


async def _change_admin(update: Update, context: ContextTypes.DEFAULT_TYPE, command: str,
                        act: Callable[[int, int], None], done: str) -> None:
    user_id = _user_id_arg(context)
    if user_id is None:
        await update.effective_message.reply_text(f"用法：/{command} 用户id（数字，最多 16 位）")
        return
    try:
        act(user_id, update.effective_user.id)
    except KnowledgeError as exc:
        await update.effective_message.reply_text(f"没办成：{exc}")
        return
    await update.effective_message.reply_text(done.format(user_id))


@admin_only
async def grant(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Make another user an admin."""
    await _change_admin(update, context, "grant", services(context).roles.grant, "已把 {} 设为管理员。")


@admin_only
async def revoke(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Take admin rights away from a granted admin."""
    await _change_admin(update, context, "revoke", services(context).roles.revoke, "已撤销 {} 的管理员权限。")
