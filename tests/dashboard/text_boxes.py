"""What a chart's text looks like in the browser: the boxes of the SVG ``<text>`` elements
of every Plotly chart on a page, and which of them overlap.

Used by the browser tests of the charts (``test_chart_text.py``: each figure alone on a
page of its own; ``test_browser.py``: every page of the dashboard).
"""

from __future__ import annotations

# Every visible, non-empty <text> of each chart: its text, its box on screen and the size
# it is drawn at (font size times the scale of its transforms). A text Plotly hides
# (display none, opacity 0, or scaled to nothing) is skipped.
TEXT_BOXES_JS = """() => {
  const visible = (element) => {
    for (let e = element; e && e.nodeType === 1; e = e.parentNode) {
      const style = getComputedStyle(e);
      if (style.display === 'none' || style.visibility === 'hidden'
          || parseFloat(style.opacity) === 0) return false;
    }
    return true;
  };
  return [...document.querySelectorAll('.js-plotly-plot')].map((plot, index) =>
    [...plot.querySelectorAll('text')]
      .filter(t => t.textContent.trim() && visible(t))
      .map(t => {
        const r = t.getBoundingClientRect();
        const m = t.getScreenCTM();
        const scale = m ? Math.sqrt(m.a * m.a + m.b * m.b) : 1;
        return {chart: index, text: t.textContent, left: r.left, top: r.top,
                right: r.right, bottom: r.bottom,
                size: parseFloat(getComputedStyle(t).fontSize) * scale};
      })
      .filter(b => b.right - b.left > 0 && b.bottom - b.top > 0));
}"""

TOLERANCE_PX = 1.0


def overlapping(charts: list[list[dict]], tolerance: float = TOLERANCE_PX) -> list[str]:
    """Each pair of texts of one chart whose boxes overlap by more than ``tolerance`` px
    both ways, as ``'a' / 'b'``."""
    found = []
    for boxes in charts:
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                wide = min(a["right"], b["right"]) - max(a["left"], b["left"])
                high = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
                if wide > tolerance and high > tolerance:
                    found.append(f"{a['text']!r} / {b['text']!r}")
    return found


def too_small(charts: list[list[dict]], smallest: float) -> list[str]:
    """The texts drawn smaller than ``smallest`` px, with their size."""
    return [
        f"{box['text']!r} {box['size']:.1f}px"
        for boxes in charts
        for box in boxes
        if box["size"] < smallest - 0.05
    ]
