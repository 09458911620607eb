"""Handlers for what the bot keeps about a worker: region, subscriptions, reminders, /forget."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot import keyboards
from bot.context import services
from bot.handlers_worker import reply_answer
from bot.render import esc
from knowledge import season
from knowledge.errors import NotFound

REGION_HELP = "请选择你所在的城市（也可以直接发 /region 安庆市迎江区）："
REGION_UNKNOWN = ("没找到“{text}”这个地区。目前收录了福州、长沙、曲靖、上海、安庆及其下辖的区县，"
                  "请从按钮里选，或换个写法试试。")


async def region(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/region X sets the region; /region alone shows city buttons."""
    svc = services(context)
    text = " ".join(context.args or []).strip()
    if not text:
        current = svc.users.get(update.effective_user.id).region
        head = f"你现在的地区：<b>{esc(svc.gazetteer.short(current))}</b>\n" if current else ""
        await update.effective_message.reply_html(head + REGION_HELP,
                                                  reply_markup=keyboards.region_buttons(svc.gazetteer, None))
        return
    try:
        found = svc.gazetteer.resolve(text)
    except NotFound:
        await update.effective_message.reply_text(REGION_UNKNOWN.format(text=text[:30]),
                                                  reply_markup=keyboards.region_buttons(svc.gazetteer, None))
        return
    answer = svc.assistant.save_region(update.effective_user.id, found.name)
    await update.effective_message.reply_html(f"好的，地区已设为<b>{esc(found.short)}</b>。现在可以直接提问了。")
    if answer is not None:
        await reply_answer(update, context, answer)


async def region_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A city button: show its districts (or save it when it has none)."""
    svc = services(context)
    query = update.callback_query
    await query.answer()
    name = query.data.split(":", 1)[1]
    if name not in svc.gazetteer:
        return
    if svc.gazetteer.children(name):
        await query.edit_message_text(f"{svc.gazetteer.short(name)}的哪个区县？",
                                      reply_markup=keyboards.region_buttons(svc.gazetteer, name))
        return
    await _save(update, context, name)


async def save_region_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Save the region on the tapped button."""
    query = update.callback_query
    await query.answer()
    name = query.data.split(":", 1)[1]
    if services(context).gazetteer.knows(name):          # a covered region, or any place in China (宜昌)
        await _save(update, context, name)


async def _save(update: Update, context: ContextTypes.DEFAULT_TYPE, name: str) -> None:
    svc = services(context)
    answer = svc.assistant.save_region(update.effective_user.id, name)
    await update.callback_query.edit_message_text(f"好的，地区已设为{svc.gazetteer.short(name)}。现在可以直接提问了。")
    if answer is not None:
        await reply_answer(update, context, answer)


async def subscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Receive notices and reminders for the worker's region."""
    svc = services(context)
    user = svc.users.get(update.effective_user.id)
    if not user.region:
        await update.effective_message.reply_text("先告诉我你在哪个地区，才能推送当地的通知：",
                                                  reply_markup=keyboards.region_buttons(svc.gazetteer, None))
        return
    svc.users.set_subscribed(update.effective_user.id, True)
    await update.effective_message.reply_html(
        f"已订阅<b>{esc(svc.gazetteer.short(user.region))}</b>的通知和节日提醒；今年春节的新措施一公布就告诉你。"
        "不想收了发 /unsubscribe。")


async def unsubscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stop notices and reminders."""
    svc = services(context)
    if svc.users.exists(update.effective_user.id):
        svc.users.set_subscribed(update.effective_user.id, False)
        svc.users.unsubscribe_stations(update.effective_user.id)
    await update.effective_message.reply_text("已取消订阅，不会再给你推送通知。想再收发 /subscribe。")


async def reminders(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show whether holiday and deadline reminders are on, with a toggle."""
    svc = services(context)
    user = svc.users.get(update.effective_user.id)
    state = "开着" if user.reminders else "关着"
    toggle = "off" if user.reminders else "on"
    label = "关闭提醒" if user.reminders else "打开提醒"
    note = "" if user.subscribed else "\n（你还没订阅，提醒要订阅后才会发：/subscribe）"
    await update.effective_message.reply_text(
        f"节日和截止日期提醒现在是{state}的。通知不受影响。{note}",
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=f"{keyboards.REMIND}:{toggle}")]]))


async def reminders_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Turn reminders on or off."""
    query = update.callback_query
    await query.answer()
    on = query.data.endswith(":on")
    services(context).users.set_reminders(update.effective_user.id, on)
    await query.edit_message_text("提醒已打开。" if on else "提醒已关闭，通知照常。")


async def watch_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """"今年的公布了告诉我": subscribe to the region's notices (keeping a saved region)."""
    query = update.callback_query
    await query.answer()
    svc = services(context)
    name = query.data.split(":", 1)[1]
    user = svc.users.get(update.effective_user.id)
    if not user.region and name in svc.gazetteer:
        svc.users.set_region(update.effective_user.id, name)
    region = user.region or name
    svc.users.set_subscribed(update.effective_user.id, True)
    year = season.coming_season(svc.assistant.today()).year
    await query.message.reply_html(
        f"好的，<b>{esc(svc.gazetteer.short(region))}</b>{year}年春节的措施一公布就告诉你（也会收到当地的通知和节日提醒）。"
        "不想收了发 /unsubscribe。")


async def forget(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Ask before deleting everything stored about the worker."""
    await update.effective_message.reply_text(
        "要删除我保存的关于你的全部信息吗？（地区、订阅、上次的话题；之后不会再给你发任何消息）",
        reply_markup=keyboards.confirm_forget())


async def forget_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Delete (or keep) after the confirmation."""
    query = update.callback_query
    await query.answer()
    if query.data.endswith(":yes"):
        services(context).users.forget(update.effective_user.id)
        await query.edit_message_text("已删除，你的提问记录也一起删了。想再用随时发 /start。")
    else:
        await query.edit_message_text("好的，什么都没删。")
