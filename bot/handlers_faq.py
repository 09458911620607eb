"""Admin handlers for the measures: /faq (search, view, add, edit, delete, undo) and /unanswered."""

from __future__ import annotations

import re

import yaml
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot.handlers_worker import admin_or_refuse, services
from bot.render import card_html, esc
from intents.reply import entry_card
from intents.unanswered import group_questions
from knowledge.analytics import low_confidence_questions
from knowledge.errors import KnowledgeError, NotFound, ValidationError
from knowledge.models import EDITABLE_FIELDS, Entry

FAQ = "fq"            # fq:v:<id> view, fq:e:<id> edit menu, fq:f:<id>:<field>, fq:d:<id> delete, fq:ok, fq:no
UNANSWERED = "ua"     # ua:a:<n>:<entry id> attach, ua:n:<n> new entry
LIST_FIELDS = {"questions", "keywords"}
FAQ_HELP = ("<b>/faq 用法</b>\n/faq 关键词 - 搜索条目\n/faq show ID - 查看\n/faq edit ID 字段 新内容 - 修改一个字段\n"
            "/faq add - 新增（按模板发 YAML）\n/faq delete ID - 删除\n/faq undo - 撤销你的上一次修改\n"
            f"可改的字段：{', '.join(EDITABLE_FIELDS)}")
ADD_TEMPLATE = ("请按这个格式发送新条目（YAML）：\n\nid: anqing-example\nintent: red_packet\nregion: 安徽省安庆市\n"
                "title: 标题\nanswer: 两三句话的回答\namount: 1000元\neligibility: 谁能领\nhow_to_claim: 怎么领\n"
                "contact: 单位和电话\nsource: 来源\nquestions:\n  - 问法一\n  - 问法二\n  - 问法三")


STALE_BUTTON = "这个按钮已失效或不完整，没有改动。请重新发 {command}。"


def _button(data: str | None, shapes: dict[str, int]) -> list[str] | None:
    """Button data split on ":", if its action is known and it has that action's number of parts."""
    parts = (data or "").split(":")
    if len(parts) < 2 or shapes.get(parts[1]) != len(parts) or not all(parts):
        return None
    return parts


def _admin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    return services(context).stations.is_admin(update.effective_user.id)


def _actor(update: Update) -> str:
    return f"admin:{update.effective_user.id}"


def parse_value(field: str, text: str) -> object:
    """A field value typed in chat; lists are split on new lines, ；or |."""
    text = text.strip()
    if field in LIST_FIELDS:
        return [p.strip() for p in re.split(r"[\n；;|]", text) if p.strip()]
    return text or None


def preview(entry: Entry, context: ContextTypes.DEFAULT_TYPE) -> str:
    """What a worker will see."""
    svc = services(context)
    return card_html(entry_card(entry, svc.gazetteer, svc.assistant.today()))


def _confirm() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton("确认保存", callback_data=f"{FAQ}:ok"),
                                  InlineKeyboardButton("取消", callback_data=f"{FAQ}:no")]])


async def faq(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Search, view, add, edit, delete and undo measures."""
    if not await admin_or_refuse(update, context):
        return
    svc = services(context)
    raw = (update.effective_message.text or "").split(maxsplit=1)
    rest = raw[1] if len(raw) > 1 else ""
    verb, _, arg = rest.partition(" ")
    try:
        if not rest:
            await update.effective_message.reply_html(FAQ_HELP)
        elif verb == "show":
            await _show(update, context, svc.kb.get(arg.strip()))
        elif verb == "edit":
            entry_id, _, field_value = arg.strip().partition(" ")
            field, _, value = field_value.partition(" ")
            await _propose(update, context, {"op": "update", "id": entry_id, "changes": {field: parse_value(field, value)}})
        elif verb == "add":
            if not arg.strip() and "\n" not in rest:
                context.user_data["awaiting"] = {"faq_add": True}
                await update.effective_message.reply_text(ADD_TEMPLATE)
                return
            await _propose_add(update, context, rest[len("add"):])
        elif verb == "delete":
            entry = svc.kb.get(arg.strip())
            context.user_data["faq_pending"] = {"op": "delete", "id": entry.id}
            await update.effective_message.reply_html(f"确定删除<b>{esc(entry.title)}</b>（{esc(entry.id)}）吗？",
                                                      reply_markup=_confirm())
        elif verb == "undo":
            entry_id = svc.kb.undo_last(_actor(update))
            await update.effective_message.reply_text(f"已撤销对 {entry_id} 的上一次修改。")
        else:
            await _search(update, context, rest)
    except KnowledgeError as exc:
        await update.effective_message.reply_text(f"没办成：{exc}")


async def _search(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
    svc = services(context)
    result = svc.matcher.match(text)
    ids = [c.entry_id for c in result.candidates]
    ids += [e.id for e in svc.kb.entries() if text in e.title or text in e.id]
    ids = list(dict.fromkeys(ids))[:8]
    if not ids:
        await update.effective_message.reply_text("没有找到相关条目。")
        return
    rows = [[InlineKeyboardButton(svc.kb.get(i).title[:40], callback_data=f"{FAQ}:v:{i}"[:64])] for i in ids]
    await update.effective_message.reply_text(f"找到 {len(ids)} 条：", reply_markup=InlineKeyboardMarkup(rows))


async def _show(update: Update, context: ContextTypes.DEFAULT_TYPE, entry: Entry) -> None:
    buttons = InlineKeyboardMarkup([[InlineKeyboardButton("编辑", callback_data=f"{FAQ}:e:{entry.id}"[:64]),
                                     InlineKeyboardButton("删除", callback_data=f"{FAQ}:d:{entry.id}"[:64])]])
    text = f"<code>{esc(entry.id)}</code> · {esc(entry.intent)} · {esc(entry.region)}\n\n{preview(entry, context)}"
    await update.effective_chat.send_message(text, parse_mode="HTML", reply_markup=buttons)


async def _propose(update: Update, context: ContextTypes.DEFAULT_TYPE, pending: dict) -> None:
    svc = services(context)
    entry = svc.kb.get(pending["id"])
    merged = entry.to_dict() | pending["changes"]
    after = svc.kb.validate(merged)          # raises ValidationError before anything is stored
    context.user_data["faq_pending"] = pending
    await update.effective_chat.send_message("<b>修改后工友会看到：</b>\n\n" + preview(after, context),
                                             parse_mode="HTML", reply_markup=_confirm())


async def _propose_add(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
    svc = services(context)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ValidationError(f"格式不对：{exc}") from None
    if not isinstance(data, dict):
        raise ValidationError("请按模板发送键值对")
    entry = svc.kb.validate(data)
    context.user_data["faq_pending"] = {"op": "add", "data": entry.to_dict()}
    await update.effective_chat.send_message("<b>新条目，工友会看到：</b>\n\n" + preview(entry, context),
                                             parse_mode="HTML", reply_markup=_confirm())


async def faq_input(update: Update, context: ContextTypes.DEFAULT_TYPE, state: dict) -> None:
    """Text typed after choosing a field to edit, or after /faq add."""
    text = update.effective_message.text or ""
    try:
        if state.get("faq_add"):
            await _propose_add(update, context, text)
        else:
            entry_id, field = state["faq_field"]
            await _propose(update, context, {"op": "update", "id": entry_id, "changes": {field: parse_value(field, text)}})
    except KnowledgeError as exc:
        await update.effective_message.reply_text(f"没办成：{exc}")


async def faq_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Buttons of /faq: view, edit menu, pick a field, delete, confirm, cancel."""
    svc = services(context)
    query = update.callback_query
    await query.answer()
    if not _admin(update, context):
        return
    parts = _button(query.data, {"v": 3, "e": 3, "f": 4, "d": 3, "ok": 2, "no": 2})
    if parts is None or (parts[1] == "f" and parts[3] not in EDITABLE_FIELDS):
        await query.message.reply_text(STALE_BUTTON.format(command="/faq"))
        return
    action = parts[1]
    try:
        if action == "v":
            await _show(update, context, svc.kb.get(parts[2]))
        elif action == "e":
            rows = [[InlineKeyboardButton(f, callback_data=f"{FAQ}:f:{parts[2]}:{f}"[:64])] for f in EDITABLE_FIELDS
                    if len(f"{FAQ}:f:{parts[2]}:{f}") <= 64]
            await query.message.reply_text("改哪个字段？", reply_markup=InlineKeyboardMarkup(rows))
        elif action == "f":
            context.user_data["awaiting"] = {"faq_field": (parts[2], parts[3])}
            current = getattr(svc.kb.get(parts[2]), parts[3])
            shown = "\n".join(current) if isinstance(current, list) else (current or "（空）")
            await query.message.reply_text(f"现在的 {parts[3]}：\n{shown}\n\n请发送新内容（列表用换行分开）：")
        elif action == "d":
            context.user_data["faq_pending"] = {"op": "delete", "id": parts[2]}
            await query.message.reply_text(f"确定删除 {parts[2]} 吗？", reply_markup=_confirm())
        elif action == "ok":
            await _apply(update, context)
        else:
            context.user_data.pop("faq_pending", None)
            await query.edit_message_reply_markup(None)
            await query.message.reply_text("已取消，没有改动。")
    except KnowledgeError as exc:
        await query.message.reply_text(f"没办成：{exc}")


async def _apply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    pending = context.user_data.pop("faq_pending", None)
    query = update.callback_query
    if not pending:
        await query.message.reply_text("这个修改已经处理过了。")
        return
    actor = _actor(update)
    if pending["op"] == "update":
        svc.kb.update(pending["id"], pending["changes"], actor)
        done = f"已保存 {pending['id']}，工友马上就能看到。"
    elif pending["op"] == "add":
        entry = svc.kb.add(pending["data"], actor)
        done = f"已新增 {entry.id}。"
    else:
        svc.kb.delete(pending["id"], actor)
        done = f"已删除 {pending['id']}（/faq undo 可以撤销）。"
    await query.edit_message_reply_markup(None)
    await query.message.reply_text(done)


async def unanswered(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The most frequent unanswered questions, grouped, with buttons to attach or start an entry."""
    if not await admin_or_refuse(update, context):
        return
    svc = services(context)
    groups = group_questions(low_confidence_questions(svc.db), limit=8)
    if not groups:
        await update.effective_message.reply_text("最近没有答不上来的问题 👍")
        return
    context.user_data["unanswered"] = [g.example for g in groups]
    for n, group in enumerate(groups):
        rows = []
        for cand in svc.matcher.match(group.example).candidates[:2]:
            data = f"{UNANSWERED}:a:{n}:{cand.entry_id}"
            if len(data.encode()) <= 64:
                rows.append([InlineKeyboardButton(f"归到：{cand.title}"[:40], callback_data=data)])
        rows.append([InlineKeyboardButton("新建条目", callback_data=f"{UNANSWERED}:n:{n}")])
        await update.effective_message.reply_html(f"<b>{group.count} 次</b>：{esc(group.example)}",
                                                  reply_markup=InlineKeyboardMarkup(rows))


async def unanswered_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Attach an unanswered question to an entry, or start a new entry from it."""
    svc = services(context)
    query = update.callback_query
    await query.answer()
    if not _admin(update, context):
        return
    parts = _button(query.data, {"a": 4, "n": 3})
    if parts is None or not parts[2].isdigit() or len(parts[2]) > 3:
        await query.message.reply_text(STALE_BUTTON.format(command="/unanswered"))
        return
    examples = context.user_data.get("unanswered", [])
    n = int(parts[2])
    if n >= len(examples):
        await query.message.reply_text("列表已过期，请重新发 /unanswered。")
        return
    if parts[1] == "a":
        try:
            svc.kb.add_question(parts[3], examples[n], _actor(update))
        except NotFound:
            await query.message.reply_text("这个条目已经不在了。")
            return
        await query.edit_message_reply_markup(None)
        await query.message.reply_text(f"已把“{examples[n]}”加为 {parts[3]} 的问法，马上生效。")
    else:
        context.user_data["awaiting"] = {"faq_add": True}
        await query.message.reply_text(ADD_TEMPLATE.replace("问法一", examples[n]))
