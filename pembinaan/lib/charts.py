"""Charts drawn once, server-side, as SVG: the page and the PDF show the same picture. Knows no
models."""

from html import escape

from django.utils.safestring import mark_safe

COLOURS = ["#0b5d3b", "#3a8d5f", "#e0a526", "#d9642b", "#b02a37", "#6c757d"]


def bar_chart_svg(
    items: list[tuple[str, float]],
    *,
    title: str,
    width: int = 560,
    bar_height: int = 22,
    unit: str = "",
) -> str:
    """A horizontal bar chart: one labelled bar per item, scaled to the largest value."""
    label_width, gap, top = 170, 8, 28
    height = top + len(items) * (bar_height + gap) + 4
    largest = max((value for _, value in items), default=0) or 1
    room = width - label_width - 70
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        'font-family="DejaVu Sans, sans-serif" font-size="12">',
        f'<text x="0" y="16" font-weight="bold">{escape(title)}</text>',
    ]
    for index, (label, value) in enumerate(items):
        y = top + index * (bar_height + gap)
        baseline = f"{y + bar_height * 0.7:.1f}"
        length = round(room * value / largest)
        colour = COLOURS[index % len(COLOURS)]
        shown = f"{value:g}{unit}"
        parts += [
            f'<text x="{label_width - 6}" y="{baseline}" text-anchor="end">{escape(label)}</text>',
            f'<rect x="{label_width}" y="{y}" width="{length}" height="{bar_height}" '
            f'fill="{colour}"/>',
            f'<text x="{label_width + length + 6}" y="{baseline}">{escape(shown)}</text>',
        ]
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text escaped above


def sparkline_svg(
    values: list[float | None],
    *,
    title: str,
    target: float | None = None,
    width: int = 180,
    height: int = 40,
) -> str:
    """A small line of values over time (None leaves a gap), with the target as a dashed line."""
    known = [v for v in values if v is not None]
    top = max([*known, target or 0], default=0) or 1
    step = width / max(len(values) - 1, 1)

    def y(value: float) -> float:
        return height - 4 - (height - 8) * value / top

    points = [f"{i * step:.1f},{y(v):.1f}" for i, v in enumerate(values) if v is not None]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
    ]
    if target is not None:
        parts.append(
            f'<line x1="0" x2="{width}" y1="{y(target):.1f}" y2="{y(target):.1f}" '
            'stroke="#6c757d" stroke-dasharray="4 3"/>'
        )
    if len(points) > 1:
        parts.append(
            f'<polyline fill="none" stroke="{COLOURS[0]}" stroke-width="2" '
            f'points="{" ".join(points)}"/>'
        )
    if points:
        x, last = points[-1].split(",")
        parts.append(f'<circle cx="{x}" cy="{last}" r="3" fill="{COLOURS[0]}"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # numbers and escaped text only
