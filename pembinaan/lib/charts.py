"""Charts drawn once, server-side, as SVG: the page and the PDF show the same picture. Knows no
models."""

import textwrap
from html import escape

from django.utils.safestring import mark_safe

from .angka import angka

COLOURS = ["#0b5d3b", "#3a8d5f", "#e0a526", "#d9642b", "#b02a37", "#6c757d"]


LABEL_WIDTH = 220
LABEL_CHARS = 30  # what fits in the label column per line at 12px DejaVu Sans (~7px a letter)
LABEL_LINES = 3
LINE_HEIGHT = 14


def label_lines(label: str) -> list[str]:
    """`label` wrapped at word boundaries into at most three lines of the label column (an OPD's
    name fits); a longer one ends its last line with "…" (the chart names it whole in a
    <title>)."""
    lines = textwrap.wrap(label, LABEL_CHARS) or [""]
    if len(lines) > LABEL_LINES:
        rest = " ".join(lines[LABEL_LINES - 1 :])
        lines = [*lines[: LABEL_LINES - 1], rest[: LABEL_CHARS - 1].rstrip() + "…"]
    return lines


def bar_chart_svg(
    items: list[tuple[str, float]],
    *,
    title: str,
    width: int = 560,
    bar_height: int = 22,
    unit: str = "",
    desimal: int = 0,
    batas: float | None = None,
) -> str:
    """A horizontal bar chart: one labelled bar per item, scaled to the largest value; with
    `batas`, a longer bar stops at that value, still labelled with its own value. Labels
    are never cut: wrapped on up to three lines, or shortened with the full name in the bar's
    <title> (a tooltip in the browser, the accessible name everywhere). Values are written the
    Indonesian way (pembinaan.lib.angka), `desimal` places, then `unit` (" %", " org")."""
    label_width, gap, top = LABEL_WIDTH, 8, 28
    rows = [label_lines(label) for label, _ in items]
    heights = [max(bar_height, len(lines) * LINE_HEIGHT + 4) for lines in rows]
    height = top + sum(h + gap for h in heights) + 4

    def drawn(value: float) -> float:
        return value if batas is None else min(value, batas)

    largest = max((drawn(value) for _, value in items), default=0) or 1
    room = width - label_width - 70
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        'font-family="DejaVu Sans, sans-serif" font-size="12">',
        f'<text x="0" y="16" font-weight="bold">{escape(title)}</text>',
    ]
    y = top
    for index, ((label, value), lines, row_height) in enumerate(
        zip(items, rows, heights, strict=True)
    ):
        middle = y + row_height / 2
        bar_y = middle - bar_height / 2
        length = round(room * drawn(value) / largest)
        colour = COLOURS[index % len(COLOURS)]
        shown = f"{angka(value, desimal)}{unit}"
        first = middle + 4 - (len(lines) - 1) * LINE_HEIGHT / 2
        spans = "".join(
            f'<tspan x="{label_width - 6}" y="{first + n * LINE_HEIGHT:.1f}">{escape(line)}</tspan>'
            for n, line in enumerate(lines)
        )
        parts += [
            f"<g><title>{escape(label)}: {escape(shown)}</title>",
            f'<text text-anchor="end">{spans}</text>',
            f'<rect x="{label_width}" y="{bar_y:.1f}" width="{length}" height="{bar_height}" '
            f'fill="{colour}"/>',
            f'<text x="{label_width + length + 6}" y="{middle + 4:.1f}">{escape(shown)}</text>',
            "</g>",
        ]
        y += row_height + gap
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text escaped above


def bar_chart_stacked_svg(
    items: list[tuple[str, float]],
    *,
    title: str,
    width: int = 400,
    font_size: int = 16,
    unit: str = "",
    desimal: int = 0,
    batas: float | None = None,
    colour: str = COLOURS[0],
) -> str:
    """A horizontal bar chart for narrow screens: each label on its own lines above its bar, so
    the picture can be narrow and its text large (16 in a 400 wide viewBox stays about 14 px on
    a 390 px phone). One colour: the bars' length is the only thing they say."""
    chars = int(width / (font_size * 0.6))  # DejaVu Sans averages ~0.6 em a letter
    line = round(font_size * 1.3)
    bar_height = font_size
    heading = textwrap.wrap(title, chars) or [""]
    rows = [textwrap.wrap(label, chars) or [""] for label, _ in items]
    height = len(heading) * line + 8 + sum(len(r) * line + bar_height + 12 for r in rows)

    def drawn(value: float) -> float:
        return value if batas is None else min(value, batas)

    largest = max((drawn(value) for _, value in items), default=0) or 1
    room = width - font_size * 6  # room for the value after the longest bar
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'font-family="DejaVu Sans, sans-serif" font-size="{font_size}">',
    ]
    y = 0
    for text in heading:
        y += line
        parts.append(f'<text x="0" y="{y}" font-weight="bold">{escape(text)}</text>')
    y += 8
    for (label, value), lines in zip(items, rows, strict=True):
        shown = f"{angka(value, desimal)}{unit}"
        parts.append(f"<g><title>{escape(label)}: {escape(shown)}</title>")
        for text in lines:
            y += line
            parts.append(f'<text x="0" y="{y}">{escape(text)}</text>')
        length = round(room * drawn(value) / largest)
        parts += [
            f'<rect x="0" y="{y + 5}" width="{length}" height="{bar_height}" fill="{colour}"/>',
            f'<text x="{length + 6}" y="{y + 5 + bar_height - 3}">{escape(shown)}</text>',
            "</g>",
        ]
        y += bar_height + 12
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


def nine_box_svg(
    cells: list[list[tuple[int, str, int]]],
    *,
    title: str,
    rows: list[str],
    columns: list[str],
    y_label: str,
    x_label: str,
    pool: frozenset[int] = frozenset(),
    cell_width: int = 170,
    cell_height: int = 92,
) -> str:
    """A 3 × 3 grid (a talent nine-box): `cells` row by row from the top, each (number, label,
    count); `rows` name the rows from the top, `columns` the columns from the left; the boxes
    in `pool` are drawn in the strong colour. Each box shows its number and its count, and
    names its label in a <title>."""
    left, top = 120, 30
    width = left + cell_width * len(columns) + 4
    height = top + cell_height * len(rows) + 46
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        'font-family="DejaVu Sans, sans-serif" font-size="12">',
        f'<text x="0" y="16" font-weight="bold">{escape(title)}</text>',
    ]
    for r, (row_label, row) in enumerate(zip(rows, cells, strict=True)):
        y = top + r * cell_height
        spans = "".join(
            f'<tspan x="{left - 8}" y="{y + cell_height / 2 + (n - 0.5) * LINE_HEIGHT:.1f}">'
            f"{escape(line)}</tspan>"
            for n, line in enumerate(textwrap.wrap(row_label, 14)[:2])
        )
        parts.append(f'<text text-anchor="end">{spans}</text>')
        for c, (nomor, label, count) in enumerate(row):
            x = left + c * cell_width
            strong = nomor in pool
            fill, ink = (COLOURS[0], "#ffffff") if strong else ("#e9f2ec", "#212529")
            parts += [
                f"<g><title>Kotak {nomor}: {escape(label)}: {angka(count)} pegawai</title>",
                f'<rect x="{x + 2}" y="{y + 2}" width="{cell_width - 4}" '
                f'height="{cell_height - 4}" fill="{fill}" stroke="#adb5bd"/>',
                f'<text x="{x + 10}" y="{y + 20}" fill="{ink}">Kotak {nomor}</text>',
                f'<text x="{x + cell_width / 2}" y="{y + cell_height / 2 + 14}" fill="{ink}" '
                f'text-anchor="middle" font-size="26" font-weight="bold">{angka(count)}</text>',
                "</g>",
            ]
    bottom = top + cell_height * len(rows)
    for c, column in enumerate(columns):
        x = left + c * cell_width + cell_width / 2
        parts.append(
            f'<text x="{x}" y="{bottom + 16}" text-anchor="middle">{escape(column)}</text>'
        )
    middle = left + cell_width * len(columns) / 2
    parts += [
        f'<text x="{middle}" y="{bottom + 36}" text-anchor="middle" font-weight="bold">'
        f"{escape(x_label)} →</text>",
        f'<text x="4" y="{top + 14}" font-weight="bold">↑ {escape(y_label)}</text>',
        "</svg>",
    ]
    return mark_safe("".join(parts))  # numbers and escaped text only
