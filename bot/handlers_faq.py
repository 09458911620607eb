"""Admin handlers for the measures: /faq (search, view, add, edit, delete, undo) and /unanswered.

Adapters only: the rules are in knowledge/faq_admin.py; every preview is a draft row whose
id its buttons carry (knowledge/drafts.py).
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot.context import services
from bot.draft_buttons import confirm_buttons, decide
from bot.guards import admin_only, draft_id
from bot.render import card_html, esc
from intents.reply import entry_card
from intents.unanswered import group_questions
from knowledge.analytics import low_confidence_questions
from knowledge.drafts import CONFIRMED
from knowledge.errors import KnowledgeError, NotFound
from knowledge.faq_admin import Proposal, actor
from knowledge.models import EDITABLE_FIELDS, Entry

FAQ = "fq"            # fq:v:<id> view, fq:e:<id> edit menu, fq:f:<id>:<field>, fq:d:<id> delete,
                      # fq:ok:<draft id> confirm, fq:no:<draft id> cancel
UNANSWERED = "ua"     # ua:a:<draft id>:<entry id> attach, ua:n:<draft id> new entry
DECIDE_RE = rf"{FAQ}:(ok|no):(\d{{1,15}})"
UNANSWERED_RE = rf"{UNANSWERED}:(a|n):(\d{{1,15}})(?::.+)?"
EXPIRED_BUTTON = "这个按钮已失效或不完整，没有改动。请重新发起。"
FAQ_HELP = ("<b>/faq 用法</b>\n/faq 关键词 - 搜索条目\n/faq show ID - 查看\n/faq edit ID 字段 新内容 - 修改一个字段\n"
            "/faq add - 新增（按模板发 YAML）\n/faq delete ID - 删除\n/faq undo - 撤销你的上一次修改\n"
            f"可改的字段：{', '.join(EDITABLE_FIELDS)}")
ADD_TEMPLATE = ("请按这个格式发送新条目（YAML）：\n\nid: anqing-example\nintent: red_packet\nregion: 安徽省安庆市\n"
                "title: 标题\nanswer: 两三句话的回答\namount: 1000元\neligibility: 谁能领\nhow_to_claim: 怎么领\n"
                "contact: 单位和电话\nsource: 来源\nquestions:\n  - 问法一\n  - 问法二\n  - 问法三")


def preview(entry: Entry, context: ContextTypes.DEFAULT_TYPE) -> str:
    """What a worker will see."""
    svc = services(context)
    return card_html(entry_card(entry, svc.gazetteer, svc.assistant.today()))


async def _send_proposal(update: Update, context: ContextTypes.DEFAULT_TYPE, proposal: Proposal) -> None:
    draft = proposal.draft
    if proposal.after is None:
        entry = proposal.before
        text = f"确定删除<b>{esc(entry.title)}</b>（{esc(entry.id)}）吗？"
    elif draft.payload["op"] == "add":
        text = "<b>新条目，工友会看到：</b>\n\n" + preview(proposal.after, context)
    else:
        text = "<b>修改后工友会看到：</b>\n\n" + preview(proposal.after, context)
    await update.effective_chat.send_message(text, parse_mode="HTML", reply_markup=confirm_buttons(FAQ, draft.id))


@admin_only
async def faq(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Search, view, add, edit, delete and undo measures."""
    svc = services(context)
    uid = update.effective_user.id
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
            await _send_proposal(update, context, svc.faq_admin.propose_update(uid, entry_id, field, value))
        elif verb == "add":
            if not arg.strip() and "\n" not in rest:
                context.user_data["awaiting"] = {"faq_add": True}
                await update.effective_message.reply_text(ADD_TEMPLATE)
                return
            await _send_proposal(update, context, svc.faq_admin.propose_add(uid, rest[len("add"):]))
        elif verb == "delete":
            await _send_proposal(update, context, svc.faq_admin.propose_delete(uid, arg.strip()))
        elif verb == "undo":
            await update.effective_message.reply_text(svc.faq_admin.undo(uid))
        else:
            await _search(update, context, rest)
    except KnowledgeError as exc:
        await update.effective_message.reply_text(f"没办成：{exc}")


async def _search(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
    svc = services(context)
    result = svc.matcher.match(text)
    ids = [c.entry_id for c in result.candidates]
    ids += [e.id for e in svc.kb.entries() if text in e.title or text in e.id]
    ids = [i for i in dict.fromkeys(ids) if len(f"{FAQ}:v:{i}".encode()) <= 64][:8]
    if not ids:
        await update.effective_message.reply_text("没有找到相关条目。")
        return
    rows = [[InlineKeyboardButton(svc.kb.get(i).title[:40], callback_data=f"{FAQ}:v:{i}")] for i in ids]
    await update.effective_message.reply_text(f"找到 {len(ids)} 条：", reply_markup=InlineKeyboardMarkup(rows))


async def _show(update: Update, context: ContextTypes.DEFAULT_TYPE, entry: Entry) -> None:
    buttons = [InlineKeyboardButton(label, callback_data=f"{FAQ}:{op}:{entry.id}") for label, op in
               (("编辑", "e"), ("删除", "d")) if len(f"{FAQ}:{op}:{entry.id}".encode()) <= 64]
    text = f"<code>{esc(entry.id)}</code> · {esc(entry.intent)} · {esc(entry.region)}\n\n{preview(entry, context)}"
    await update.effective_chat.send_message(text, parse_mode="HTML",
                                             reply_markup=InlineKeyboardMarkup([buttons]) if buttons else None)


async def faq_input(update: Update, context: ContextTypes.DEFAULT_TYPE, state: dict) -> None:
    """Text typed after choosing a field to edit, or after /faq add."""
    svc = services(context)
    uid = update.effective_user.id
    text = update.effective_message.text or ""
    try:
        if state.get("faq_add"):
            proposal = svc.faq_admin.propose_add(uid, text)
        else:
            entry_id, field = state["faq_field"]
            proposal = svc.faq_admin.propose_update(uid, entry_id, field, text)
        await _send_proposal(update, context, proposal)
    except KnowledgeError as exc:
        await update.effective_message.reply_text(f"没办成：{exc}")


@admin_only
async def faq_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Buttons of /faq: view, edit menu, pick a field, delete, confirm, cancel."""
    svc = services(context)
    query = update.callback_query
    uid = update.effective_user.id
    parts = (query.data or "").split(":")
    action = parts[1] if len(parts) > 1 else ""
    if action in ("ok", "no"):
        async def apply(number: int, user_id: int) -> None:
            done = svc.faq_admin.apply(number, user_id)
            await query.edit_message_reply_markup(None)
            await query.message.reply_text(done)

        await decide(update, context, DECIDE_RE, apply, "已取消，没有改动。")
        return
    await query.answer()
    try:
        if len(parts) < 3 or not parts[2]:
            await query.message.reply_text(EXPIRED_BUTTON)
        elif action == "v":
            await _show(update, context, svc.kb.get(parts[2]))
        elif action == "e":
            svc.kb.get(parts[2])                 # a stale or made-up id: NotFound, said in words below
            rows = [[InlineKeyboardButton(f, callback_data=f"{FAQ}:f:{parts[2]}:{f}")] for f in EDITABLE_FIELDS
                    if len(f"{FAQ}:f:{parts[2]}:{f}".encode()) <= 64]
            await query.message.reply_text("改哪个字段？", reply_markup=InlineKeyboardMarkup(rows))
        elif action == "f" and len(parts) > 3 and parts[3] in EDITABLE_FIELDS:
            current = getattr(svc.kb.get(parts[2]), parts[3])
            context.user_data["awaiting"] = {"faq_field": (parts[2], parts[3])}
            shown = "\n".join(current) if isinstance(current, list) else (current or "（空）")
            await query.message.reply_text(f"现在的 {parts[3]}：\n{shown}\n\n请发送新内容（列表用换行分开）：")
        elif action == "d":
            await _send_proposal(update, context, svc.faq_admin.propose_delete(uid, parts[2]))
        else:
            await query.message.reply_text(EXPIRED_BUTTON)
    except KnowledgeError as exc:
        await query.message.reply_text(f"没办成：{exc}")


@admin_only
async def unanswered(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The most frequent unanswered questions, grouped, with buttons to attach or start an entry.
    Each question shown is a draft row: its buttons can only ever act on that question."""
    svc = services(context)
    groups = group_questions(low_confidence_questions(svc.db), limit=8)
    if not groups:
        await update.effective_message.reply_text("最近没有答不上来的问题 👍")
        return
    for group in groups:
        draft = svc.drafts.create(update.effective_user.id, "unanswered", {"question": group.example})
        rows = []
        for cand in svc.matcher.match(group.example).candidates[:2]:
            data = f"{UNANSWERED}:a:{draft.id}:{cand.entry_id}"
            if len(data.encode()) <= 64:
                rows.append([InlineKeyboardButton(f"归到：{cand.title}"[:40], callback_data=data)])
        rows.append([InlineKeyboardButton("新建条目", callback_data=f"{UNANSWERED}:n:{draft.id}")])
        await update.effective_message.reply_html(f"<b>{group.count} 次</b>：{esc(group.example)}",
                                                  reply_markup=InlineKeyboardMarkup(rows))


@admin_only
async def unanswered_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Attach the question shown above the button to an entry, or start a new entry from it."""
    svc = services(context)
    query = update.callback_query
    await query.answer()
    parsed = draft_id(query.data, UNANSWERED_RE)
    if parsed is None:
        await query.message.reply_text("列表已过期，请重新发 /unanswered。")
        return
    action, number = parsed
    uid = update.effective_user.id
    try:
        draft = svc.drafts.open_draft(number, uid, "unanswered")
        question = draft.payload["question"]
        if action == "a":
            entry_id = query.data.split(":", 3)[3]
            try:
                svc.kb.add_question(entry_id, question, actor(uid))
            except NotFound:
                await query.message.reply_text("这个条目已经不在了。")
                return
            svc.drafts.decide(draft, CONFIRMED, entry_id)
            await query.edit_message_reply_markup(None)
            await query.message.reply_text(f"已把“{question}”加为 {entry_id} 的问法，马上生效。")
        else:
            context.user_data["awaiting"] = {"faq_add": True}
            await query.message.reply_text(ADD_TEMPLATE.replace("问法一", question))
    except KnowledgeError as exc:
        await query.message.reply_text(f"没办成：{exc}")
