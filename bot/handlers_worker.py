"""Handlers for workers: /start, /help, questions, topic buttons and non-text messages."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot import handlers_admin, handlers_faq, handlers_station, keyboards
from bot.context import services
from bot.render import card_html
from bot.send import send_html
from intents.assistant import Answer
from knowledge import season
from knowledge.errors import NotFound
from knowledge.models import INTENT_NAMES

WORKER_COMMANDS = [
    ("start", "开始，显示常用话题"),
    ("help", "能问什么、怎么用"),
    ("region", "设置你所在的地区"),
    ("stations", "附近的暖民稳岗服务站"),
    ("subscribe", "订阅本地区的通知和提醒"),
    ("unsubscribe", "取消订阅"),
    ("reminders", "查看或开关节日和截止提醒"),
    ("forget", "删除我保存的关于你的信息"),
]
WELCOME = ("你好，工友！我是<b>暖心助手</b> 🧧\n留在工作的城市过年，这里帮你查当地的帮扶政策："
           "红包补贴、免费流量、免费体检、法律援助、加班工资、年夜饭、培训和找工作等。\n\n"
           "直接打字问就行，比如“留岗红包怎么领”“过年加班几倍工资”。也可以点下面的按钮。\n"
           "先用 /region 设置你所在的地区，答案会更准。")
NON_TEXT = "我只看得懂文字消息 🙏 请直接打字问我，或者点下面的按钮选话题。"
TOO_LONG = "（消息有点长，我只看了前面一部分。问题简短一点，我能答得更准。）\n\n"
MORE_TEXT = "还有这些话题，点一下就能看："


# What typed text answers when a flow is waiting for input (user_data["awaiting"]).
INPUT_HANDLERS = {"draft": handlers_station.compose_input, "faq_add": handlers_faq.faq_input,
                  "faq_field": handlers_faq.faq_input}


def help_text(is_admin: bool = False, is_operator: bool = False) -> str:
    """The command list a user may use."""
    lines = ["<b>可以这样用：</b>", "直接打字提问，比如“宜城有免费体检吗”“欠薪找谁”。", ""]
    lines += [f"/{name} - {desc}" for name, desc in WORKER_COMMANDS]
    return "\n".join(lines)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet and show the topic keyboard (deep links st_/op_ have their own handlers in app.py)."""
    await update.effective_message.reply_html(WELCOME, reply_markup=keyboards.main_keyboard())


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List the commands this user may use."""
    text = help_text() + handlers_admin.role_help(context, update.effective_user.id)
    await update.effective_message.reply_html(text, reply_markup=keyboards.main_keyboard())


async def reply_answer(update: Update, context: ContextTypes.DEFAULT_TYPE, answer: Answer,
                       prefix: str = "") -> None:
    """Send an answer card with its buttons (did-you-mean, related, save region)."""
    svc = services(context)
    result = answer.result
    markup: InlineKeyboardMarkup | None = None
    if result.ambiguous and result.candidates:
        markup = keyboards.entry_buttons([(c.entry_id, c.title) for c in result.candidates[:3]], "你想问：")
    elif result.needs_region:
        markup = keyboards.region_buttons(svc.gazetteer, None)
    elif answer.offer_region:
        markup = keyboards.save_region_button(svc.gazetteer, answer.offer_region)
    elif not result.fallback:
        markup = keyboards.entry_buttons(svc.assistant.related(answer), "相关：")
    if result.entry is not None and not result.fallback and not result.needs_region \
            and season.status(result.entry, svc.assistant.today()) == "not_yet" \
            and not svc.users.get(update.effective_user.id).subscribed:
        markup = keyboards.with_watch_button(markup, result.entry.region)
    text = prefix + (TOO_LONG if answer.truncated else "") + card_html(answer.card)
    await send_html(context.bot, update.effective_chat.id, text, svc.users, reply_markup=markup)


async def question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a free-text question (or a tapped topic button)."""
    text = update.effective_message.text or ""
    state = context.user_data.pop("awaiting", None)
    if state:
        for key, handler in INPUT_HANDLERS.items():
            if key in state:
                await handler(update, context, state)
                return
    if text.strip() == keyboards.MORE_LABEL:
        await update.effective_message.reply_text(MORE_TEXT, reply_markup=keyboards.more_topics())
        return
    answer = services(context).assistant.ask(update.effective_user.id, text)
    await reply_answer(update, context, answer)


async def entry_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A tapped "did you mean" or related question: answer that entry."""
    query = update.callback_query
    await query.answer()
    entry_id = query.data.split(":", 1)[1]
    try:
        answer = services(context).assistant.answer_entry(update.effective_user.id, entry_id)
    except NotFound:
        await query.message.reply_text("这条信息已经更新或删除了，请重新提问。")
        return
    await reply_answer(update, context, answer)


async def topic_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A tapped topic from "更多": answer it like a question about that topic."""
    query = update.callback_query
    await query.answer()
    intent = query.data.split(":", 1)[1]
    name = INTENT_NAMES.get(intent)
    if not name:
        return
    answer = services(context).assistant.ask(update.effective_user.id, name, log=False)
    await reply_answer(update, context, answer)


async def non_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Voice, photo, sticker, contact...: point kindly to typing or the buttons."""
    await update.effective_message.reply_text(NON_TEXT, reply_markup=keyboards.main_keyboard())


async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Drop whatever the user was composing."""
    dropped = context.user_data.pop("awaiting", None)
    svc = services(context)
    draft = svc.drafts.latest_open(update.effective_user.id, ("notice", "faq", "station"))
    if draft is not None:                      # an open preview: its buttons stop working
        svc.drafts.cancel(draft.id, update.effective_user.id)
    await update.effective_message.reply_text("已取消。" if dropped or draft else "现在没有要取消的操作。")


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An unknown /command."""
    await update.effective_message.reply_text("没有这个命令。发 /help 看看能做什么，或者直接打字提问。")
