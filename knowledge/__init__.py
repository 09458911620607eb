"""The knowledge base: measures, regions and everything the bot stores, in SQLite.

A plain library (no telegram import). `open_db` opens the database with the schema
applied; `KnowledgeBase` reads and edits measures; `Gazetteer` knows the regions.
"""

from knowledge.errors import KnowledgeError, NotFound, ValidationError
from knowledge.gazetteer import Gazetteer, Region
from knowledge.models import ENTRY_INTENTS, INTENTS, Entry
from knowledge.schema import open_db
from knowledge.store import KnowledgeBase

__all__ = [
    "ENTRY_INTENTS",
    "INTENTS",
    "Entry",
    "Gazetteer",
    "KnowledgeBase",
    "KnowledgeError",
    "NotFound",
    "Region",
    "ValidationError",
    "open_db",
]
