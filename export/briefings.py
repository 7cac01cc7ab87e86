"""Monthly briefings (工作简报): ``briefings/<district_code>.docx`` for every district and
``briefings/bureau.docx``, for the period's last month, written with python-docx.

The wording is Jinja2 text, one file per paragraph, in a template folder
(``export/briefing_templates``; a bureau points ``BRIEFING_TEMPLATES`` or
``--briefing-templates`` at its own copy to change it without code). Templates name
figures by their district_monthly.csv column keys (``{{ events_held }}``) and changes
as ``{{ change.total_hours.previous_month }}``; every figure is written as the CSV
writes it, so anyone can check it. Templates run sandboxed, and an unknown key stops the
export with a message naming the template file and the key. Text from the data (unit
names) goes into Word as plain text; Word and WPS get the Chinese fonts from the
styles (w:eastAsia), on an A4 page.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

import duckdb
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from export.briefing_context import contexts
from export.tables import Tables, UnitRow
from kernel.errors import UserError
from kernel.settings import settings

log = logging.getLogger(__name__)

DEFAULT_TEMPLATES = Path(__file__).resolve().parent / "briefing_templates"
# the paragraphs of a briefing, in order: <name>.j2 in the template folder
PARAGRAPHS = (
    "title",
    "activities",
    "participation",
    "coverage",
    "top_units",
    "events",
    "data_quality",
    "source",
)
BODY_FONT = ("宋体", "SimSun")  # (East Asian, ascii)
TITLE_FONT = ("黑体", "SimHei")
FOLDER = "briefings"
# characters XML 1.0 cannot hold: dropped from text so a stray one cannot break a file
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class BriefingTemplateError(UserError):
    """A briefing template that cannot be used: the message names the file and what to
    change (exit 1)."""


def template_folder(given: str | Path | None = None) -> Path:
    """The template folder: ``given`` (--briefing-templates), else BRIEFING_TEMPLATES,
    else the project's own."""
    chosen = given or settings().briefing_templates or DEFAULT_TEMPLATES
    return Path(chosen)


class Templates:
    """The paragraph templates of one folder, checked before anything is written."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        if not folder.is_dir():
            raise BriefingTemplateError(
                f"briefing template folder {folder} does not exist; copy "
                f"{DEFAULT_TEMPLATES} and point BRIEFING_TEMPLATES at the copy"
            )
        env = SandboxedEnvironment(
            undefined=StrictUndefined,
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.templates = {}
        for name in PARAGRAPHS:
            path = folder / f"{name}.j2"
            if not path.is_file():
                raise BriefingTemplateError(
                    f"briefing template {path} is missing: each of "
                    f"{', '.join(p + '.j2' for p in PARAGRAPHS)} must be in {folder}"
                )
            try:
                self.templates[name] = env.from_string(path.read_text(encoding="utf-8"))
            except TemplateSyntaxError as error:
                raise BriefingTemplateError(
                    f"briefing template {path}, line {error.lineno}: {error.message}"
                ) from None
            except UnicodeDecodeError:
                raise BriefingTemplateError(
                    f"briefing template {path} is not UTF-8 text; save it as UTF-8"
                ) from None

    def render(self, name: str, context: dict) -> str:
        path = self.folder / f"{name}.j2"
        try:
            return self.templates[name].render(context)
        except UndefinedError as error:
            raise BriefingTemplateError(
                f"briefing template {path}: unknown key ({error.message}); the keys a "
                f"template may use are listed in {DEFAULT_TEMPLATES / 'README.md'}"
            ) from None
        except TemplateError as error:
            raise BriefingTemplateError(f"briefing template {path}: {error}") from None


def paragraphs(text: str) -> list[str]:
    """A rendered template as Word paragraphs: split at blank lines; the lines of one
    paragraph joined with nothing between them (Chinese has no spaces between words)."""
    blocks = re.split(r"\n\s*\n", text.strip())
    joined = ["".join(line.strip() for line in block.splitlines()) for block in blocks]
    return [_CONTROL.sub("", p) for p in joined if p]


def _set_fonts(style: object, east_asian: str, ascii_font: str, size: float, bold: bool) -> None:
    """The style's fonts, East Asian ones included (what Word and WPS read for Chinese),
    with the theme fonts that would override them removed."""
    font = style.font  # type: ignore[attr-defined]
    font.name = ascii_font
    font.size = Pt(size)
    font.bold = bold
    rpr = style.element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if fonts.get(qn(theme)) is not None:
            del fonts.attrib[qn(theme)]
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), ascii_font)
    fonts.set(qn("w:eastAsia"), east_asian)


def _stamped(data: bytes, stamp: dt.datetime) -> bytes:
    """The .docx with every part's zip time set to ``stamp``: the same snapshot gives
    the same bytes (the manifest's digest of a briefing reproduces under AS_OF)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            part = zipfile.ZipInfo(info.filename, stamp.timetuple()[:6])
            part.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(part, source.read(info.filename))
    return out.getvalue()


def document_bytes(texts: dict[str, list[str]], as_of: str = "2000-01-01T00:00:00") -> bytes:
    """A briefing as .docx: the title (黑体, centred), then each paragraph (宋体, the
    first line indented two characters), on A4; created and modified at ``as_of`` (the
    snapshot's), so the same snapshot gives the same bytes."""
    stamp = dt.datetime.fromisoformat(as_of).replace(microsecond=0, tzinfo=None)
    document = Document()
    document.core_properties.created = document.core_properties.modified = stamp
    document.core_properties.last_printed = stamp
    document.core_properties.revision = 1
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(37)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    styles = document.styles
    _set_fonts(styles["Normal"], *BODY_FONT, 14, False)
    _set_fonts(styles["Title"], *TITLE_FONT, 20, False)
    title_format = styles["Title"].paragraph_format
    title_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title_format.space_after = Pt(18)
    # the default template's Title draws a line under it: a briefing has none
    borders = styles["Title"].element.pPr.find(qn("w:pBdr"))
    if borders is not None:
        styles["Title"].element.pPr.remove(borders)
    for name, lines in texts.items():
        for text in lines:
            if name == "title":
                document.add_paragraph(text, style="Title")
                continue
            paragraph = document.add_paragraph(text)  # plain text: no markup is read
            paragraph.paragraph_format.first_line_indent = Pt(28)
            paragraph.paragraph_format.line_spacing = 1.5
    buffer = io.BytesIO()
    document.save(buffer)
    return _stamped(buffer.getvalue(), stamp)


def briefing_texts(templates: Templates, context: dict) -> dict[str, list[str]]:
    """Each paragraph's rendered text (a paragraph that renders empty is left out)."""
    return {name: paragraphs(templates.render(name, context)) for name in PARAGRAPHS}


def write_briefings(
    con: duckdb.DuckDBPyConnection,
    tables: Tables,
    bureau: Sequence[UnitRow],
    as_of: str,
    folder: Path,
    templates: str | Path | None = None,
) -> list[Path]:
    """Write ``briefings/<district_code>.docx`` for every district (not ``unknown``) and
    ``briefings/bureau.docx`` (when the snapshot has the bureau's rows); the paths."""
    chosen = Templates(template_folder(templates))
    rendered = [
        (c["district_code"], briefing_texts(chosen, c))
        for c in contexts(con, tables, bureau, as_of)
    ]
    target = folder / FOLDER
    target.mkdir(parents=True, exist_ok=True)
    paths = []
    for code, texts in rendered:
        path = target / f"{code}.docx"
        path.write_bytes(document_bytes(texts, as_of))
        paths.append(path)
    log.info("briefings: %s written", len(paths))
    return paths
