"""Bar charts drawn on the server as SVG geometry (the template writes the elements): no
script, no inline style; sizes are SVG attributes, colours and type come from reports.css."""

from dataclasses import dataclass

WIDTH = 320  # viewBox units; the SVG scales to its box, so it fits a 360 px phone
ROW = 36
BAR_HEIGHT = 14
LABEL_CHARS = 48


@dataclass
class Bar:
    label: str
    value_text: str
    y: int  # of the label's baseline
    bar_y: int
    width: float


@dataclass
class Chart:
    bars: list[Bar]
    height: int
    max_value: float


def _number(value) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def bar_chart(pairs: list[tuple[str, object]]) -> Chart | None:
    """Horizontal bars, one a row, label above its bar, longest at full width. None when
    there is nothing to draw."""
    if not pairs or not any(_number(value) for _, value in pairs):
        return None
    top = max(_number(value) for _, value in pairs)
    bars = []
    for index, (label, value) in enumerate(pairs):
        short = label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1] + "…"
        y = index * ROW
        bars.append(Bar(short, str(value), y + 13, y + 17,
                        round(_number(value) / top * (WIDTH - 40), 1)))
    return Chart(bars, len(pairs) * ROW + 4, top)
