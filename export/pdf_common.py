"""What every PDF of the project shares: the embedded CJK font and the styles.

The font is Debian's WenQuanYi Micro Hei (``fonts-wqy-microhei``, installed by
``make setup``), a TrueType collection: reportlab embeds the subset of glyphs used.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportlab import rl_config
from reportlab.graphics import shapes
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from export.district_monthly import ExportError

FONT_FILE = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
FONT = "WenQuanYiMicroHei"
HEADER_BACKGROUND = colors.HexColor("#DDE6F0")
GRID = colors.HexColor("#9AA7B4")
WARNING = colors.HexColor("#9A3412")
WARNING_BACKGROUND = colors.HexColor("#FFF4E5")


@cache
def register_font() -> str:
    """Register the CJK font once; a clear message when the package is missing."""
    if not FONT_FILE.is_file():
        raise ExportError(
            f"the Chinese font {FONT_FILE} is missing: run `make setup` "
            "(it installs the Debian package fonts-wqy-microhei)"
        )
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_FILE), subfontIndex=0))
    # a canvas starts in Helvetica, which PDFs never embed: start in the CJK font
    rl_config.canvas_basefontname = FONT
    shapes.STATE_DEFAULTS["fontName"] = FONT  # the same for drawings (charts)
    return FONT


@cache
def styles() -> dict[str, ParagraphStyle]:
    font = register_font()
    base = ParagraphStyle("base", fontName=font, fontSize=9.5, leading=14, wordWrap="CJK")
    return {
        "base": base,
        "title": ParagraphStyle("title", parent=base, fontSize=17, leading=24, spaceAfter=4),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=9, textColor=colors.grey),
        "h2": ParagraphStyle(
            "h2", parent=base, fontSize=12.5, leading=18, spaceBefore=10, spaceAfter=4
        ),
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=11, spaceBefore=3),
        # a technical line under a sentence for the reader (a command to run)
        "tiny": ParagraphStyle("tiny", parent=base, fontSize=6.5, leading=9, textColor=colors.grey),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11),
        # a note the reader must not miss (months without activity), boxed
        "warning": ParagraphStyle(
            "warning",
            parent=base,
            textColor=WARNING,
            backColor=WARNING_BACKGROUND,
            borderColor=WARNING,
            borderWidth=0.6,
            borderPadding=5,
            spaceBefore=8,
            spaceAfter=6,
        ),
    }
