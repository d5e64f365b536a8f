"""Charts as inline SVG: no script, no library, readable without colour (every page shows the numbers
in a table beside the chart, and each shape carries a <title> with its value).

Each function returns Markup; every text that reaches the SVG is escaped here.
"""
from __future__ import annotations

from typing import Sequence

from markupsafe import Markup, escape

# Colours with at least 3:1 contrast against white (WCAG non-text contrast), distinguishable in print.
PALETTE = ("#1f5fa8", "#a34700", "#2e7d32", "#7b1fa2", "#c62828", "#00695c", "#5d4037", "#37474f")
HEAT_LOW = (0xf2, 0xf5, 0xfa)
HEAT_HIGH = (0x0b, 0x3d, 0x91)


def _mix(fraction: float) -> str:
    r, g, b = (round(lo + (hi - lo) * fraction) for lo, hi in zip(HEAT_LOW, HEAT_HIGH))
    return f"#{r:02x}{g:02x}{b:02x}"


def _open(chart_id: str, width: int, height: int, title: str, desc: str = "") -> list[str]:
    parts = [f'<svg class="chart" id="{escape(chart_id)}" role="img" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" direction="ltr" aria-labelledby="{escape(chart_id)}-t'
             + (f' {escape(chart_id)}-d' if desc else '') + '" xmlns="http://www.w3.org/2000/svg">',
             f'<title id="{escape(chart_id)}-t">{escape(title)}</title>']
    if desc:
        parts.append(f'<desc id="{escape(chart_id)}-d">{escape(desc)}</desc>')
    return parts


def heatmap(chart_id: str, title: str, desc: str, rows: Sequence[tuple[str, Sequence[int], int]],
            columns: Sequence[str], total: tuple[str, Sequence[int], int] | None = None, *, rtl: bool = False) -> Markup:
    """A grid: one row per (label, counts, size), one column per hour; darker means more people working."""
    label_w, cell_w, cell_h, head_h = 200, 30, 26, 22
    all_rows = list(rows) + ([total] if total else [])
    width = label_w + cell_w * len(columns) + 10
    height = head_h + cell_h * len(all_rows) + 12
    parts = _open(chart_id, width, height, title, desc)
    grid_x = 10 if rtl else label_w

    def x_of(col: int) -> int:
        return grid_x + (len(columns) - 1 - col) * cell_w if rtl else grid_x + col * cell_w

    for col, name in enumerate(columns):
        parts.append(f'<text x="{x_of(col) + cell_w / 2}" y="{head_h - 7}" text-anchor="middle" '
                     f'font-size="11" fill="#1a1a1a">{escape(name)}</text>')
    for index, (label, counts, size) in enumerate(all_rows):
        y = head_h + index * cell_h
        is_total = total is not None and index == len(all_rows) - 1
        label_x = width - 8 if rtl else label_w - 8
        weight = ' font-weight="bold"' if is_total else ""
        parts.append(f'<text x="{label_x}" y="{y + cell_h / 2 + 4}" text-anchor="end" font-size="12" '
                     f'fill="#1a1a1a"{weight}>{escape(label)}</text>')
        for col, count in enumerate(counts):
            fraction = count / size if size else 0
            fill = _mix(fraction)
            ink = "#ffffff" if fraction > 0.45 else "#1a1a1a"
            parts.append(f'<g><title>{escape(label)} · {escape(columns[col])}: {count}/{size}</title>'
                         f'<rect x="{x_of(col)}" y="{y}" width="{cell_w - 2}" height="{cell_h - 2}" fill="{fill}" '
                         f'stroke="#8a94a6" stroke-width="0.5"/>'
                         + (f'<text x="{x_of(col) + cell_w / 2 - 1}" y="{y + cell_h / 2 + 3}" text-anchor="middle" '
                            f'font-size="11" fill="{ink}">{count}</text>' if count else "") + '</g>')
    parts.append("</svg>")
    return Markup("".join(parts))


def bars(chart_id: str, title: str, desc: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]],
         *, maximum: float | None = None, value_text: Sequence[Sequence[str]] | None = None, rtl: bool = False) -> Markup:
    """Grouped vertical bars: one group per label, one bar per series (with a legend)."""
    groups = max(1, len(labels))
    per = max(1, len(series))
    bar_w, gap, plot_h, left, bottom, legend_h = 16, 30, 160, 44, 44, 22
    width = left + groups * (per * bar_w + gap) + 10
    height = legend_h + plot_h + bottom
    top = max([v for _, values in series for v in values if v is not None] + [maximum or 0, 1e-9])
    parts = _open(chart_id, max(width, 260), height, title, desc)
    for i, (name, _) in enumerate(series):
        x = left + i * 140
        parts.append(f'<rect x="{x}" y="4" width="12" height="12" fill="{PALETTE[i % len(PALETTE)]}"/>'
                     f'<text x="{x + 16}" y="14" font-size="12" fill="#1a1a1a">{escape(name)}</text>')
    base = legend_h + plot_h
    parts.append(f'<line x1="{left}" y1="{base}" x2="{width - 6}" y2="{base}" stroke="#5f6b7a"/>')
    order = list(range(len(labels)))
    if rtl:
        order.reverse()
    for slot, g in enumerate(order):
        gx = left + slot * (per * bar_w + gap)
        for i, (name, values) in enumerate(series):
            value = values[g] if g < len(values) else None
            if value is None:
                continue
            h = plot_h * (value / top) if top else 0
            shown = value_text[i][g] if value_text else f"{value:g}"
            parts.append(f'<g><title>{escape(labels[g])} · {escape(name)}: {escape(shown)}</title>'
                         f'<rect x="{gx + i * bar_w}" y="{base - h:.1f}" width="{bar_w - 2}" height="{max(h, 0.5):.1f}" '
                         f'fill="{PALETTE[i % len(PALETTE)]}"/></g>')
        parts.append(f'<text x="{gx + per * bar_w / 2}" y="{base + 16}" text-anchor="middle" font-size="11" '
                     f'fill="#1a1a1a">{escape(labels[g])}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def matrix(chart_id: str, title: str, desc: str, regions: Sequence[str], count, *, rtl: bool = False) -> Markup:  # type: ignore[no-untyped-def]
    """A region × region grid of pair counts (`count(a, b)`)."""
    rows = [(r, [count(r, c) for c in regions], max([count(a, b) for a in regions for b in regions] + [1]))
            for r in regions]
    return heatmap(chart_id, title, desc, rows, [_short(r) for r in regions], rtl=rtl)


def _short(region: str) -> str:
    words = region.replace("-", " ").split()
    return "".join(w[0] for w in words).upper()[:4] if len(words) > 1 else region[:4]
