"""Handlers for service stations: QR subscription, operator invites, /stations, /notice, /broadcast."""

from __future__ import annotations

import datetime as dt
import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot.handlers_worker import services
from bot.render import esc, linkify_phones
from knowledge.errors import NotFound
from knowledge.stations import Station

DRAFT = "bc"          # bc:send | bc:cancel
NOT_ALLOWED = "抱歉，这个命令只有{who}可以用。"
SEND_AT_RE = re.compile(r"^\s*(\d{4}-\d{1,2}-\d{1,2})[ T](\d{1,2}:\d{2})\s+")


def station_html(station: Station, distance_km: float | None = None) -> str:
    """One station for a phone: name, address, tappable phone, holiday hours."""
    lines = [f"🏠 <b>{esc(station.name)}</b>" + (f"（约 {distance_km:.1f} 公里）" if distance_km is not None else "")]
    if station.address:
        lines.append(f"📍 {esc(station.address)}")
    if station.phone:
        lines.append(f"☎️ {linkify_phones(esc(station.phone))}")
    if station.hours:
        lines.append(f"🕘 春节开放：{esc(station.hours)}")
    return "\n".join(lines)


async def start_station(update: Update, context: ContextTypes.DEFAULT_TYPE, payload: str) -> None:
    """`/start st_<id>` from a station's QR code: subscribe and set the region."""
    svc = services(context)
    try:
        station = svc.stations.subscribe(update.effective_user.id, int(payload) if len(payload) <= 18 else -1)
    except (ValueError, OverflowError, NotFound):
        await update.effective_message.reply_text("这个二维码已失效。直接打字问我就行，或发 /stations 找附近的服务站。")
        return
    await update.effective_message.reply_html(
        f"欢迎！你已订阅<b>{esc(station.name)}</b>的通知，地区设为{esc(svc.gazetteer.short(station.region))}。\n\n"
        + station_html(station) + "\n\n直接打字问我政策问题就行，比如“留岗红包怎么领”。不想收通知发 /unsubscribe。")


async def start_operator(update: Update, context: ContextTypes.DEFAULT_TYPE, token: str) -> None:
    """`/start op_<token>`: a one-time invite makes the user the station's operator."""
    svc = services(context)
    try:
        station = svc.stations.accept_invite(token, update.effective_user.id)
    except NotFound as exc:
        await update.effective_message.reply_text(f"{exc}。请找管理员重新生成邀请链接。")
        return
    await update.effective_message.reply_html(
        f"你已成为<b>{esc(station.name)}</b>的服务站工作人员。\n发 /notice 通知内容 给本站订阅的工友发通知。")


async def stations_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List the stations of the worker's region with tappable phone numbers."""
    svc = services(context)
    region = svc.users.get(update.effective_user.id).region
    if not region:
        await update.effective_message.reply_text("先用 /region 设置你所在的地区，或者发送你的位置，我帮你找最近的服务站。")
        return
    found = svc.stations.in_region(region)
    if not found:
        await update.effective_message.reply_html(
            f"{esc(svc.gazetteer.short(region))}还没有登记的服务站。可以打 {linkify_phones('12345')} 政务服务热线问问。")
        return
    await update.effective_message.reply_html("\n\n".join(station_html(s) for s in found[:8]))


def parse_send_at(text: str, tz: dt.tzinfo) -> tuple[dt.datetime | None, str]:
    """An optional leading "YYYY-MM-DD HH:MM" send time, and the rest of the text."""
    match = SEND_AT_RE.match(text)
    if not match:
        return None, text.strip()
    try:
        when = dt.datetime.fromisoformat(f"{match.group(1)} {match.group(2).zfill(5)}").replace(tzinfo=tz)
    except ValueError:
        return None, text.strip()
    return when, text[match.end():].strip()


async def notice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An operator's notice to their station's subscribers (with text: queue it; without: compose)."""
    svc = services(context)
    stations = svc.stations.operator_stations(update.effective_user.id)
    if not stations:
        await update.effective_message.reply_text(NOT_ALLOWED.format(who="服务站工作人员"))
        return
    station = stations[0]
    text = _command_text(update)
    draft = {"kind": "notice", "scope": f"station:{station.id}", "label": station.name}
    await _draft_or_send(update, context, draft, text, lambda: svc.stations.subscribers(station.id))


async def broadcast(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An admin's notice to every subscriber of a region and its sub-regions."""
    svc = services(context)
    if not svc.stations.is_admin(update.effective_user.id):
        await update.effective_message.reply_text(NOT_ALLOWED.format(who="管理员"))
        return
    args = _command_text(update).split(maxsplit=1)
    if not args:
        await update.effective_message.reply_text("用法：/broadcast 地区 通知内容，例如 /broadcast 安庆市 元宵节博物馆免费开放")
        return
    try:
        region = svc.gazetteer.resolve(args[0])
    except NotFound:
        await update.effective_message.reply_text(f"没找到地区“{args[0][:20]}”。")
        return
    draft = {"kind": "broadcast", "scope": region.name, "label": region.short}
    await _draft_or_send(update, context, draft, args[1] if len(args) > 1 else "",
                         lambda: svc.stations.region_recipients(region.name))


def _command_text(update: Update) -> str:
    text = update.effective_message.text or ""
    return text.split(maxsplit=1)[1].strip() if len(text.split(maxsplit=1)) > 1 else ""


async def _draft_or_send(update: Update, context: ContextTypes.DEFAULT_TYPE, draft: dict, text: str,
                         recipients) -> None:
    svc = services(context)
    if not text:
        context.user_data["awaiting"] = {"draft": draft}
        await update.effective_message.reply_text(f"请发送要给{draft['label']}订阅者的通知内容（发 /cancel 取消）：")
        return
    send_at, body = parse_send_at(text, svc.config.tz)
    if not body:
        await update.effective_message.reply_text("通知内容不能为空。")
        return
    people = recipients()
    origin = f"msg:{update.effective_chat.id}:{update.effective_message.message_id}"
    broadcast_id, new = svc.outbox.create(sender_id=update.effective_user.id, kind=draft["kind"], scope=draft["scope"],
                                          text=_notice_html(draft["label"], body), recipients=people,
                                          send_at=send_at, origin=origin)
    _wake(context)
    when = f"，将于 {send_at:%Y-%m-%d %H:%M} 发送" if send_at else ""
    if new:
        await update.effective_message.reply_text(f"已加入发送队列：{len(people)} 人{when}。发送完会告诉你结果。")


async def compose_input(update: Update, context: ContextTypes.DEFAULT_TYPE, state: dict) -> None:
    """The text typed after /notice or /broadcast without text: show a preview with 发送/取消."""
    svc = services(context)
    draft = state["draft"]
    send_at, body = parse_send_at(update.effective_message.text or "", svc.config.tz)
    if draft["kind"] == "notice":
        people = svc.stations.subscribers(int(draft["scope"].split(":")[1]))
    else:
        people = svc.stations.region_recipients(draft["scope"])
    draft.update(text=body, send_at=send_at.isoformat() if send_at else None, count=len(people),
                 origin=f"msg:{update.effective_chat.id}:{update.effective_message.message_id}")
    context.user_data["draft"] = draft
    when = f"\n发送时间：{send_at:%Y-%m-%d %H:%M}" if send_at else ""
    buttons = InlineKeyboardMarkup([[InlineKeyboardButton("发送", callback_data=f"{DRAFT}:send"),
                                     InlineKeyboardButton("取消", callback_data=f"{DRAFT}:cancel")]])
    await update.effective_message.reply_html(
        f"<b>预览</b>（将发给 {len(people)} 人{esc(when)}）：\n\n{_notice_html(draft['label'], body)}", reply_markup=buttons)


async def draft_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """发送 or 取消 under a preview."""
    svc = services(context)
    query = update.callback_query
    await query.answer()
    draft = context.user_data.pop("draft", None)
    if query.data.endswith(":cancel") or not draft:
        await query.edit_message_text("已取消，没有发送。" if draft else "这条预览已经处理过了。")
        return
    if draft["kind"] == "notice":
        people = svc.stations.subscribers(int(draft["scope"].split(":")[1]))
    else:
        people = svc.stations.region_recipients(draft["scope"])
    send_at = dt.datetime.fromisoformat(draft["send_at"]) if draft.get("send_at") else None
    svc.outbox.create(sender_id=update.effective_user.id, kind=draft["kind"], scope=draft["scope"],
                      text=_notice_html(draft["label"], draft["text"]), recipients=people, send_at=send_at,
                      origin=draft["origin"])
    _wake(context)
    await query.edit_message_text(f"已加入发送队列：{len(people)} 人。发送完会告诉你结果。")


def _notice_html(label: str, body: str) -> str:
    return f"📢 <b>{esc(label)}通知</b>\n{linkify_phones(esc(body))}"


def _wake(context: ContextTypes.DEFAULT_TYPE) -> None:
    worker = context.application.bot_data.get("outbox_worker")
    if worker:
        worker.wake()


async def station_location(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A shared location: suggest the region and list the nearest stations."""
    from bot import keyboards

    svc = services(context)
    loc = update.effective_message.location
    region = svc.gazetteer.nearest(loc.latitude, loc.longitude)
    parts = []
    markup = None
    if region:
        parts.append(f"你好像在<b>{esc(region.short)}</b>附近。")
        markup = keyboards.save_region_button(svc.gazetteer, region.name)
    near = [(s, km) for s, km in svc.stations.nearest(loc.latitude, loc.longitude) if km <= 50]
    if near:
        parts.append("离你最近的服务站：\n\n" + "\n\n".join(station_html(s, km) for s, km in near))
    if not parts:
        parts.append("这个位置附近我还没有收录的地区和服务站。请用 /region 选择你所在的城市。")
    await update.effective_message.reply_html("\n".join(parts), reply_markup=markup)
