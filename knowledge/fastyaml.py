"""Reading the YAML data files shipped with the bot (lexicon, training lines, regions, reminders):
safe loading with libyaml's parser when PyYAML has it, about six times faster at start than the
pure-Python one. Files from admins go through `knowledge.yamlio.load_yaml` (strict) instead."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> Any:
    """The parsed file (yaml.YAMLError when it is malformed)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=LOADER)  # noqa: S506 - a safe loader
