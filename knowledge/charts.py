"""A PNG chart of questions per day (matplotlib, no display needed)."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from knowledge.analytics import Stats  # noqa: E402


def questions_chart(stats: Stats) -> bytes:
    """Bars of questions and answered questions per day, as PNG bytes."""
    days = [d[5:] for d, _, _ in stats.days] or ["-"]
    asked = [n for _, n, _ in stats.days] or [0]
    answered = [a for _, _, a in stats.days] or [0]
    fig, ax = plt.subplots(figsize=(7, 3.2), dpi=100)
    positions = range(len(days))
    ax.bar(positions, asked, color="#f4a261", label="questions")
    ax.bar(positions, answered, color="#2a9d8f", label="answered")
    ax.set_xticks(list(positions), days, rotation=45, fontsize=8)
    ax.set_title(f"Questions per day - answered {stats.answered_rate:.0%}, subscribers {stats.subscribers}")
    ax.legend(fontsize=8)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()
