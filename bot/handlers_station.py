"""Handlers for service stations: QR subscription, operator invites, /stations, /notice, /broadcast."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.context import services
from bot.draft_buttons import confirm_buttons, decide
from bot.guards import operator_only
from bot.render import esc, linkify_phones
from knowledge.errors import KnowledgeError, NotAllowed, NotFound
from knowledge.notices import Queued, Scope
from knowledge.stations import Station

DRAFT = "bc"          # bc:send:<draft id> | bc:cancel:<draft id>
DRAFT_RE = rf"{DRAFT}:(send|cancel):(\d{{1,15}})"
NOT_ALLOWED = "抱歉，这个命令只有{who}可以用。"


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


def _payload(context: ContextTypes.DEFAULT_TYPE) -> str:
    return (context.args or [""])[0][3:]       # after "st_" / "op_"


async def start_station(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/start st_<id>` from a station's QR code: subscribe and set the region."""
    svc = services(context)
    payload = _payload(context)
    try:
        if not payload.isdigit() or len(payload) > 12:
            raise NotFound(payload)
        station = svc.stations.subscribe(update.effective_user.id, int(payload))
    except (ValueError, NotFound):
        await update.effective_message.reply_text("这个二维码已失效。直接打字问我就行，或发 /stations 找附近的服务站。")
        return
    await update.effective_message.reply_html(
        f"欢迎！你已订阅<b>{esc(station.name)}</b>的通知，地区设为{esc(svc.gazetteer.short(station.region))}。\n\n"
        + station_html(station) + "\n\n直接打字问我政策问题就行，比如“留岗红包怎么领”。不想收通知发 /unsubscribe。")


async def start_operator(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/start op_<token>`: a one-time invite makes the user the station's operator."""
    svc = services(context)
    token = _payload(context)
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


@operator_only
async def notice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An operator's notice to their station's subscribers (with text: queue it; without: compose);
    `/notice list` and `/notice cancel ID` for scheduled notices (operators and admins)."""
    svc = services(context)
    uid = update.effective_user.id
    text = _command_text(update)
    verb, _, arg = text.partition(" ")
    try:
        if verb in ("list", "cancel"):
            await (_list_scheduled(update, context) if verb == "list" else _cancel_scheduled(update, context, arg))
            return
        scope = svc.notices.operator_scope(uid)
    except NotAllowed:
        await update.effective_message.reply_text(NOT_ALLOWED.format(who="服务站工作人员"))
        return
    await _draft_or_send(update, context, scope, text)


async def broadcast(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An admin's notice to every subscriber of a region and its sub-regions."""
    svc = services(context)
    if not svc.roles.is_admin(update.effective_user.id):
        await update.effective_message.reply_text(NOT_ALLOWED.format(who="管理员"))
        return
    args = _command_text(update).split(maxsplit=1)
    if not args:
        await update.effective_message.reply_text("用法：/broadcast 地区 通知内容，例如 /broadcast 安庆市 元宵节博物馆免费开放")
        return
    try:
        scope = svc.notices.region_scope(update.effective_user.id, args[0])
    except NotFound as exc:
        await update.effective_message.reply_text(f"{exc}。")
        return
    await _draft_or_send(update, context, scope, args[1] if len(args) > 1 else "")


def _command_text(update: Update) -> str:
    text = update.effective_message.text or ""
    return text.split(maxsplit=1)[1].strip() if len(text.split(maxsplit=1)) > 1 else ""


def _origin(update: Update) -> str:
    return f"msg:{update.effective_chat.id}:{update.effective_message.message_id}"


def queued_text(queued: Queued) -> str:
    """What the sender is told once a notice is queued or scheduled."""
    if queued.send_at is None:
        return f"已加入发送队列：{queued.recipients} 人。发送完会告诉你结果。"
    quiet = "晚上 22:00 到早上 8:00 不打扰工友，" if queued.quiet else ""
    return (f"{quiet}已定时：将于 {queued.send_at:%Y-%m-%d %H:%M} 发送（编号 {queued.notice_id}，"
            f"发 /notice cancel {queued.notice_id} 可取消）。收件人按发送时的订阅计算。")


async def _draft_or_send(update: Update, context: ContextTypes.DEFAULT_TYPE, scope: Scope, text: str) -> None:
    svc = services(context)
    if not text:
        context.user_data["awaiting"] = {"draft": scope.to_dict()}
        await update.effective_message.reply_text(f"请发送要给{scope.label}订阅者的通知内容（发 /cancel 取消）：")
        return
    try:
        queued = svc.notices.submit(update.effective_user.id, scope, text, _origin(update))
    except KnowledgeError as exc:
        await update.effective_message.reply_text(f"没办成：{exc}")
        return
    _wake(context)
    if queued.new:
        await update.effective_message.reply_text(queued_text(queued))


async def compose_input(update: Update, context: ContextTypes.DEFAULT_TYPE, state: dict) -> None:
    """The text typed after /notice or /broadcast without text: a draft row and its preview."""
    svc = services(context)
    scope = Scope.from_dict(state["draft"])
    try:
        draft = svc.notices.draft(update.effective_user.id, scope, update.effective_message.text or "", _origin(update))
    except NotAllowed as exc:
        await update.effective_message.reply_text(str(exc))
        return
    except KnowledgeError as exc:
        context.user_data["awaiting"] = state           # let them type it again
        await update.effective_message.reply_text(f"没办成：{exc}\n请重新发送（发 /cancel 取消）。")
        return
    buttons = confirm_buttons(DRAFT, draft.id, ok=("发送", "send"), no=("取消", "cancel"))
    await update.effective_message.reply_html(svc.notices.preview_html(draft), reply_markup=buttons)


async def draft_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """发送 or 取消 under a preview: acts on that preview's own draft only."""
    async def send(number: int, user_id: int) -> None:
        queued = services(context).notices.confirm(number, user_id)
        _wake(context)
        await update.callback_query.edit_message_text(queued_text(queued))

    await decide(update, context, DRAFT_RE, send, "已取消，没有发送。", refused="没有发送")


async def _list_scheduled(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    rows = svc.notices.scheduled(update.effective_user.id)
    if not rows:
        await update.effective_message.reply_text("没有待发的定时通知。")
        return
    lines = [f"#{r['id']} {svc.notices.local_time(r)} {esc(r['label'])}：{esc(r['text'][:40])}" for r in rows]
    await update.effective_message.reply_html("<b>待发的定时通知</b>\n" + "\n".join(lines)
                                              + "\n\n发 /notice cancel 编号 取消。")


async def _cancel_scheduled(update: Update, context: ContextTypes.DEFAULT_TYPE, arg: str) -> None:
    svc = services(context)
    if not arg.strip().isdigit() or len(arg.strip()) > 15:
        await update.effective_message.reply_text("用法：/notice cancel 编号（/notice list 里看编号）")
        return
    try:
        row = svc.notices.cancel(int(arg), update.effective_user.id)
    except KnowledgeError as exc:
        await update.effective_message.reply_text(f"没办成：{exc}")
        return
    await update.effective_message.reply_text(f"已取消定时通知 #{row['id']}（{svc.notices.local_time(row)}），不会发出。")


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
