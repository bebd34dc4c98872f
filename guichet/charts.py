"""Bar charts as SVG, drawn on the server: no JavaScript, a few hundred bytes, readable on a
360 px screen and in print. Only presentation attributes are used (no `style`), which the
Content-Security-Policy allows."""

from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

WIDTH = 340
BAR_HEIGHT = 18
GAP = 16
LABEL_HEIGHT = 14
VALUE_SPACE = 44


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str = ""  # the value as printed; defaults to the number


def bar_chart(title: str, bars: list[Bar], *, colour: str = "#0b6b3a") -> str:
    """Horizontal bars, label above each bar, value at its end; an empty list draws a notice."""
    row = LABEL_HEIGHT + BAR_HEIGHT + GAP
    height = max(1, len(bars)) * row + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-label={quoteattr(title)}>',
        f"<title>{escape(title)}</title>",
    ]
    if not bars:
        parts.append(f'<text x="0" y="20" font-size="13" fill="#555f6b">{escape("—")}</text>')
    largest = max((bar.value for bar in bars), default=0) or 1
    for index, bar in enumerate(bars):
        top = index * row
        length = 0 if bar.value <= 0 else max(2.0, (WIDTH - VALUE_SPACE) * bar.value / largest)
        shown = bar.shown or _number(bar.value)
        parts.append(
            f'<text x="0" y="{top + LABEL_HEIGHT - 2}" font-size="12" fill="#1b1f23">'
            f"{escape(bar.label)}</text>"
        )
        parts.append(
            f'<rect x="0" y="{top + LABEL_HEIGHT}" width="{length:.1f}" height="{BAR_HEIGHT}" '
            f'fill="{colour}" rx="2"><title>{escape(bar.label)} : {escape(shown)}</title></rect>'
        )
        parts.append(
            f'<text x="{length + 4:.1f}" y="{top + LABEL_HEIGHT + BAR_HEIGHT - 4}" font-size="12" '
            f'fill="#1b1f23">{escape(shown)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}".replace(".", ",")
