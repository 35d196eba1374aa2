"""Charts drawn on the server as SVG: no chart library to download, nothing from another host, and they
print as sharply as the text. Colours are set with attributes, not inline styles (CSP)."""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe

PALETTE = ["#0b5cad", "#1e7b3a", "#d98e04", "#8a1c2b"]


@dataclass
class Series:
    label: str
    values: list[float | int]


def bar_chart(
    categories: list[str],
    series: list[Series],
    *,
    title: str,
    width: int = 760,
    height: int = 300,
    label_every: int = 1,
) -> str:
    """Grouped vertical bars, one group per category, one bar per series, with a value axis and a legend."""
    left, right, top, bottom = 44, 12, 28, 46
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([value or 0 for s in series for value in s.values] + [1])
    step = _nice_step(peak)
    ceiling = step * -(-peak // step)
    group_w = plot_w / max(len(categories), 1)
    bar_w = max(min(group_w * 0.8 / max(len(series), 1), 40), 2)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    tick = 0
    while tick <= ceiling:
        y = top + plot_h - plot_h * tick / ceiling
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d7dde2"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{tick:g}</text>')
        tick += step
    for index, category in enumerate(categories):
        x0 = left + group_w * index + (group_w - bar_w * len(series)) / 2
        for number, serie in enumerate(series):
            value = serie.values[index] or 0
            bar_h = plot_h * value / ceiling
            x, y = x0 + number * bar_w, top + plot_h - bar_h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w - 1:.1f}" height="{bar_h:.1f}" '
                f'fill="{PALETTE[number % len(PALETTE)]}"><title>{escape(category)} · {escape(serie.label)}: '
                f"{value:g}</title></rect>"
            )
            if value and bar_w >= 14:
                parts.append(
                    f'<text x="{x + bar_w / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle">{value:g}</text>'
                )
        if index % label_every == 0:
            parts.append(
                f'<text x="{left + group_w * (index + 0.5):.1f}" y="{top + plot_h + 16}" '
                f'text-anchor="middle">{escape(category)}</text>'
            )
    x = left
    for number, serie in enumerate(series):
        colour = PALETTE[number % len(PALETTE)]
        parts.append(f'<rect x="{x}" y="{height - 18}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + 16}" y="{height - 8}">{escape(serie.label)}</text>')
        x += 24 + 7 * len(serie.label)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text in it is escaped above


def _nice_step(peak: float) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000, 20000, 50000):
        if peak / step <= 6:
            return step
    return int(peak // 5) or 1
