"""Admins' changes to the measures: propose one change (a draft row), apply it, undo it.

Applying re-checks that the tapper is the draft's author and still an admin, that the draft
is still open, and that nobody changed the same fields since the preview. Undo reverts only
the undoer's own fields and refuses when another admin changed those fields later.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import yaml

from knowledge.drafts import CONFIRMED, Draft, Drafts
from knowledge.errors import Conflict, ValidationError
from knowledge.models import EDITABLE_FIELDS, LIST_FIELDS, Entry
from knowledge.roles import Roles
from knowledge.store import KnowledgeBase

KIND = "faq"


def actor(user_id: int) -> str:
    """How admins appear in the audit log."""
    return f"admin:{user_id}"


def parse_value(field: str, text: str) -> object:
    """A field value typed in chat; lists are split on new lines, ；or |."""
    text = text.strip()
    if field in LIST_FIELDS:
        return [p.strip() for p in re.split(r"[\n；;|]", text) if p.strip()]
    return text or None


@dataclass
class Proposal:
    """A draft and what workers will see once it is applied (None for a delete)."""

    draft: Draft
    after: Entry | None
    before: Entry | None = None


class FaqAdmin:
    """The FAQ editing use case."""

    def __init__(self, kb: KnowledgeBase, drafts: Drafts, roles: Roles) -> None:
        self.kb = kb
        self.drafts = drafts
        self.roles = roles

    # ------------------------------------------------------------ proposing
    def propose_update(self, user_id: int, entry_id: str, field: str, text: str) -> Proposal:
        """A preview of one field's new value."""
        self.roles.require_admin(user_id)
        if field not in EDITABLE_FIELDS:
            raise ValidationError(f"不能修改的字段: {field or '（空）'}；可改：{', '.join(EDITABLE_FIELDS)}",
                                  entry=entry_id)
        before = self.kb.get(entry_id)
        value = parse_value(field, text)
        after = self.kb.validate(before.to_dict() | {field: value})      # raises before anything is stored
        base = before.to_dict().get(field)
        draft = self.drafts.create(user_id, KIND, {"op": "update", "id": entry_id, "changes": {field: value},
                                                   "base": {field: base}})
        return Proposal(draft, after, before)

    def propose_add(self, user_id: int, text: str) -> Proposal:
        """A preview of a new entry typed as YAML."""
        self.roles.require_admin(user_id)
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ValidationError(f"格式不对：{exc}") from None
        if not isinstance(data, dict):
            raise ValidationError("请按模板发送键值对")
        entry = self.kb.validate(data)
        draft = self.drafts.create(user_id, KIND, {"op": "add", "id": entry.id, "data": entry.to_dict()})
        return Proposal(draft, entry)

    def propose_delete(self, user_id: int, entry_id: str) -> Proposal:
        """A confirmation to delete an entry."""
        self.roles.require_admin(user_id)
        entry = self.kb.get(entry_id)
        return Proposal(self.drafts.create(user_id, KIND, {"op": "delete", "id": entry.id}), None, entry)

    # ------------------------------------------------------------ deciding
    def apply(self, draft_id: int, user_id: int) -> str:
        """确认保存: apply exactly this draft; returns what was done, in words."""
        draft = self.drafts.open_draft(draft_id, user_id, KIND)
        self.roles.require_admin(user_id)
        p, who = draft.payload, actor(user_id)
        with self.kb.db.atomic():
            if p["op"] == "update":
                current = self.kb.get(p["id"]).to_dict()
                moved = [f for f, v in p.get("base", {}).items() if current.get(f) != v]
                if moved:
                    raise Conflict(f"预览之后有人改过 {p['id']} 的 {', '.join(moved)}，没有保存；请重新查看后再改")
                self.kb.update(p["id"], p["changes"], who)
                done = f"已保存 {p['id']}，工友马上就能看到。"
            elif p["op"] == "add":
                entry = self.kb.add(p["data"], who)
                done = f"已新增 {entry.id}。"
            else:
                self.kb.delete(p["id"], who)
                done = f"已删除 {p['id']}（/faq undo 可以撤销）。"
            self.drafts.decide(draft, CONFIRMED, done)
        return done

    def cancel(self, draft_id: int, user_id: int) -> None:
        """取消 under a preview."""
        self.drafts.cancel(draft_id, user_id)

    # ------------------------------------------------------------ undo
    def undo(self, user_id: int) -> str:
        """Revert this admin's last change; NotFound if none, Conflict if another admin changed
        the same fields (or deleted/re-added the entry) after it. Returns what was done."""
        self.roles.require_admin(user_id)
        who = actor(user_id)
        db = self.kb.db
        with db.atomic():
            mine = self.kb.last_change(who)
            entry_id = mine["entity_id"]
            later = list(db.query(
                "SELECT * FROM audit WHERE entity = 'entry' AND entity_id = ? AND id > ? AND actor != ? "
                "AND action IN ('add','update','delete','undo')", [entry_id, mine["id"], who]))
            if not later:
                self.kb.undo_last(who)
                return f"已撤销对 {entry_id} 的上一次修改。"
            if mine["action"] != "update" or any(r["action"] != "update" for r in later):
                raise Conflict(f"{_who(later[-1])} 之后也改过 {entry_id}，没有撤销；请用 /faq show 查看后直接修改")
            before, after = json.loads(mine["before"]), json.loads(mine["after"])
            my_fields = {f for f in set(before) | set(after) if before.get(f) != after.get(f)}
            for row in later:
                theirs_before, theirs_after = json.loads(row["before"]), json.loads(row["after"])
                clash = sorted(f for f in my_fields if theirs_before.get(f) != theirs_after.get(f))
                if clash:
                    raise Conflict(f"{_who(row)} 之后也改了 {entry_id} 的 {', '.join(clash)}，没有撤销；"
                                   "请用 /faq show 查看后直接修改")
            self.kb.update(entry_id, {f: before.get(f) for f in sorted(my_fields)}, who)
            db.execute("UPDATE audit SET undone = 1 WHERE id = ?", [mine["id"]])
            db.execute("UPDATE audit SET action = 'undo', undone = 1 WHERE id = (SELECT MAX(id) FROM audit)")
        kept = ", ".join(sorted({_who(r) for r in later}))
        return f"已撤销你对 {entry_id} 的 {', '.join(sorted(my_fields))} 的修改；{kept} 之后的修改保留。"


def _who(row: dict[str, Any]) -> str:
    return str(row["actor"]).replace("admin:", "管理员 ")
