"""Shared fixtures: temp-file databases, the shipped knowledge base, a small sample KB."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from intents import Matcher
from knowledge import Gazetteer, KnowledgeBase, open_db

SAMPLE_DIR = Path(__file__).parent / "data" / "kb_sample"
os.environ.setdefault("NUANXIN_CACHE_DIR", str(Path(__file__).parent.parent / ".cache"))
# Bots started by tests send notices at once at any hour (quiet hours have their own tests).
os.environ.setdefault("BOT_QUIET_HOURS", "0")


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return Gazetteer.from_yaml()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "bot.db"


@pytest.fixture
def sample_dir(tmp_path: Path) -> Path:
    """A writable copy of the small sample KB."""
    target = tmp_path / "kb"
    shutil.copytree(SAMPLE_DIR, target)
    return target


@pytest.fixture
def sample_kb(db_path: Path, sample_dir: Path, gazetteer: Gazetteer) -> KnowledgeBase:
    kb = KnowledgeBase(open_db(db_path), gazetteer)
    kb.load(sample_dir)
    return kb


@pytest.fixture(scope="session")
def shipped_kb(tmp_path_factory: pytest.TempPathFactory, gazetteer: Gazetteer) -> KnowledgeBase:
    """The shipped knowledge base in a temp-file database (read-only use)."""
    kb = KnowledgeBase(open_db(tmp_path_factory.mktemp("shipped") / "kb.db"), gazetteer)
    kb.ensure_loaded()
    return kb


@pytest.fixture(scope="session")
def matcher(shipped_kb: KnowledgeBase) -> Matcher:
    return Matcher(shipped_kb)
