"""Intent matching: a worker's free-text question to the right measure for their region.

A plain library (no telegram import): `Matcher(kb).match(text, region, previous)`.
"""

from intents.matcher import Candidate, Matcher, MatchResult

__all__ = ["Candidate", "MatchResult", "Matcher"]
