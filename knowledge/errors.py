"""Domain errors of the knowledge base; the bot and CLI turn them into words."""

from __future__ import annotations


class KnowledgeError(Exception):
    """Base class for knowledge-base errors."""


class ValidationError(KnowledgeError):
    """Data that cannot be accepted; names the file, entry and field where known."""

    def __init__(self, message: str, *, file: str | None = None, entry: str | None = None,
                 field: str | None = None, row: int | None = None) -> None:
        self.message = message
        self.file = file
        self.entry = entry
        self.field = field
        self.row = row
        super().__init__(self.describe())

    def describe(self) -> str:
        """One line: where, then what."""
        where = []
        if self.file:
            where.append(self.file)
        if self.row is not None:
            where.append(f"第{self.row}行")
        if self.entry:
            where.append(f"条目 {self.entry}")
        if self.field:
            where.append(f"字段 {self.field}")
        return (": ".join([" ".join(where), self.message])) if where else self.message


class ValidationErrors(ValidationError):
    """Several validation errors found in one pass."""

    def __init__(self, errors: list[ValidationError]) -> None:
        self.errors = errors
        first = errors[0]
        super().__init__(first.message, file=first.file, entry=first.entry, field=first.field, row=first.row)

    def describe(self) -> str:
        """Every error, one per line."""
        return "\n".join(e.describe() for e in getattr(self, "errors", [])) or super().describe()


class NotFound(KnowledgeError):
    """No such entry, region, station or reminder."""


class Conflict(KnowledgeError):
    """The change clashes with existing data (e.g. a duplicate id)."""


class NotAllowed(KnowledgeError):
    """The user may not do this (any more): not an admin, no longer a station's operator."""


class Stale(KnowledgeError):
    """A draft that was already confirmed, cancelled or has expired, or belongs to someone else."""
