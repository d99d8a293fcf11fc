"""The report's charts as inline SVG, drawn from its figures: no script, no network, no
library. Each chart has a title and a description for screen readers, and its numbers are
also in the table beside it.

Labels are the report's own words (group and finding names), escaped all the same.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from counting_rules._audit.report.figures import HoursBin, KindCount, RateRow

__all__ = ["findings_chart", "hours_chart", "recording_chart"]

_INK, _MUTED, _RULE = "#1b1b1b", "#555555", "#c8c8c8"
_BAR, _LATE, _WHISKER = "#7ea6d8", "#d98b6f", "#0b2a55"
_FONT = "font-family='Helvetica Neue, Arial, sans-serif'"


def _svg(width: int, height: int, title: str, desc: str, body: list[str]) -> Markup:
    head = (
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}' "
        f"width='100%' role='img' {_FONT} font-size='12'>"
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>"
    )
    return Markup(head + "".join(body) + "</svg>")


def _text(x: float, y: float, s: str, anchor: str = "start", **attrs: str) -> str:
    more = "".join(f" {k.replace('_', '-')}='{escape(v)}'" for k, v in attrs.items())
    return f"<text x='{x:.1f}' y='{y:.1f}' text-anchor='{anchor}'{more}>{escape(s)}</text>"


def recording_chart(rows: Sequence[RateRow]) -> Markup:
    """The share recorded of each group, as bars, with the 95% Wilson interval as a line."""
    shown = [r for r in rows if r.checked]
    left, plot, right, step = 210, 420, 150, 30
    width, height = left + plot + right, 40 + step * max(len(shown), 1) + 30
    body = []
    for tick in range(0, 101, 20):
        x = left + plot * tick / 100
        body.append(
            f"<line x1='{x:.1f}' y1='24' x2='{x:.1f}' y2='{height - 26}' stroke='{_RULE}'/>"
        )
        body.append(_text(x, height - 10, f"{tick}%", "middle", fill=_MUTED))
    for i, r in enumerate(shown):
        y = 30 + i * step
        assert r.share is not None
        body.append(_text(left - 8, y + 15, r.label, "end", fill=_INK))
        body.append(
            f"<rect x='{left}' y='{y + 4}' width='{plot * r.share:.1f}' height='16' fill='{_BAR}'/>"
        )
        if r.wilson is not None:
            lo, hi = left + plot * r.wilson.lower, left + plot * r.wilson.upper
            mid = y + 12
            body.append(
                f"<line x1='{lo:.1f}' y1='{mid}' x2='{hi:.1f}' y2='{mid}' "
                f"stroke='{_WHISKER}' stroke-width='2'/>"
                f"<line x1='{lo:.1f}' y1='{mid - 6}' x2='{lo:.1f}' y2='{mid + 6}' "
                f"stroke='{_WHISKER}' stroke-width='2'/>"
                f"<line x1='{hi:.1f}' y1='{mid - 6}' x2='{hi:.1f}' y2='{mid + 6}' "
                f"stroke='{_WHISKER}' stroke-width='2'/>"
            )
        body.append(_text(left + plot + 8, y + 15, f"{r.share_text} of {r.checked:,}", fill=_INK))
    if not shown:
        body.append(_text(left, 50, "No crimes the rules require were checked.", fill=_MUTED))
    desc = "; ".join(f"{r.label}: {r.share_text}, 95% Wilson {r.wilson_text}" for r in shown)
    return _svg(width, height, "Recording rate by crime group, with 95% intervals", desc, body)


def hours_chart(bins: Sequence[HoursBin]) -> Markup:
    """How many crimes were recorded in each bin of hours from the start of the clock."""
    left, top, plot_h, bar_w, gap = 56, 20, 200, 70, 14
    width = left + len(bins) * (bar_w + gap) + 20
    height = top + plot_h + 56
    peak = max((b.count for b in bins), default=0) or 1
    body = [
        f"<line x1='{left}' y1='{top + plot_h}' x2='{width - 10}' y2='{top + plot_h}' "
        f"stroke='{_MUTED}'/>"
    ]
    for frac in (0.0, 0.5, 1.0):
        y = top + plot_h * (1 - frac)
        body.append(
            f"<line x1='{left}' y1='{y:.1f}' x2='{width - 10}' y2='{y:.1f}' stroke='{_RULE}'/>"
        )
        body.append(_text(left - 6, y + 4, f"{round(peak * frac):,}", "end", fill=_MUTED))
    for i, b in enumerate(bins):
        x = left + gap / 2 + i * (bar_w + gap)
        h = plot_h * b.count / peak
        colour = _LATE if b.late else _BAR
        body.append(
            f"<rect x='{x:.1f}' y='{top + plot_h - h:.1f}' width='{bar_w}' height='{h:.1f}' "
            f"fill='{colour}'/>"
        )
        body.append(_text(x + bar_w / 2, top + plot_h - h - 4, f"{b.count:,}", "middle"))
        body.append(_text(x + bar_w / 2, top + plot_h + 16, b.text, "middle", fill=_INK))
    legend_y = top + plot_h + 40
    body.append(f"<rect x='{left}' y='{legend_y - 10}' width='12' height='12' fill='{_BAR}'/>")
    body.append(_text(left + 18, legend_y, "within 24 hours", fill=_MUTED))
    body.append(
        f"<rect x='{left + 140}' y='{legend_y - 10}' width='12' height='12' fill='{_LATE}'/>"
    )
    body.append(_text(left + 158, legend_y, "after 24 hours", fill=_MUTED))
    desc = "; ".join(f"{b.text}: {b.count:,}" for b in bins)
    return _svg(width, height, "Hours from the start of the clock to the crime record", desc, body)


def findings_chart(kinds: Sequence[KindCount]) -> Markup:
    """How many findings of each kind."""
    shown = [k for k in kinds if k.count]
    left, plot, right, step = 260, 380, 80, 26
    width, height = left + plot + right, 16 + step * max(len(shown), 1)
    peak = max((k.count for k in shown), default=0) or 1
    body = []
    for i, k in enumerate(shown):
        y = 8 + i * step
        w = plot * k.count / peak
        body.append(_text(left - 8, y + 14, k.label, "end", fill=_INK))
        body.append(f"<rect x='{left}' y='{y + 2}' width='{w:.1f}' height='16' fill='{_BAR}'/>")
        body.append(_text(left + w + 6, y + 14, f"{k.count:,}", fill=_INK))
    if not shown:
        body.append(_text(left, 24, "No findings.", fill=_MUTED))
    desc = "; ".join(f"{k.label}: {k.count:,}" for k in shown)
    return _svg(width, height, "Findings by type", desc, body)
