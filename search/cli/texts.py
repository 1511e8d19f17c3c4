"""French for the command line: counts with their noun, durations.

French puts 0 and 1 in the singular ("0 rapport", "1 rapport", "2 rapports"). Numbers are
written without a thousands separator (34133, not 34 133): scripts and greps read these lines.
"""
from __future__ import annotations


def plural(n: int, singular: str, many: str | None = None) -> str:
    """``plural(0, "rapport") == "0 rapport"``; ``plural(2, "rapport") == "2 rapports"``."""
    return f"{n} {singular if abs(n) < 2 else many or singular + 's'}"


def duration(seconds: float) -> str:
    """``45 s``, ``2 min 05 s``, ``1 h 02 min``."""
    s = max(0, round(seconds))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60:02d} s"
    return f"{s // 3600} h {s % 3600 // 60:02d} min"
