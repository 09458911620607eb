"""A PNG chart of questions per day for /stats (matplotlib, no display needed), labelled in Chinese."""

from __future__ import annotations

import functools
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from knowledge.analytics import Stats  # noqa: E402

CJK_HINTS = ("NotoSansCJK", "NotoSerifCJK", "wqy", "SourceHanSans", "simhei", "msyh", "PingFang")


@functools.cache
def cjk_font() -> str | None:
    """The family of a font on this system that has Chinese characters (None: none found)."""
    files = sorted(font_manager.findSystemFonts(), key=lambda f: ("Sans" not in f, f))
    for path in files:
        if any(hint.lower() in path.lower() for hint in CJK_HINTS):
            try:
                font_manager.fontManager.addfont(path)
                return font_manager.FontProperties(fname=path).get_name()
            except (OSError, RuntimeError, ValueError):
                continue
    return None


def questions_chart(stats: Stats) -> bytes:
    """Bars of questions and answered questions per day, as PNG bytes."""
    days = [d[5:] for d, _, _ in stats.days] or ["-"]
    asked = [n for _, n, _ in stats.days] or [0]
    answered = [a for _, _, a in stats.days] or [0]
    family = cjk_font()
    style = {"font.family": [family, "sans-serif"]} if family else {}
    with plt.rc_context(style):
        fig, ax = plt.subplots(figsize=(7, 3.2), dpi=100)
        positions = range(len(days))
        ax.bar(positions, asked, color="#f4a261", label="提问")
        ax.bar(positions, answered, color="#2a9d8f", label="答上")
        ax.set_xticks(list(positions), days, rotation=45, fontsize=8)
        ax.set_title(f"每天提问数（答上 {stats.answered_rate:.0%}，订阅 {stats.subscribers} 人）")
        ax.legend(fontsize=8)
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        plt.close(fig)
    return buffer.getvalue()
