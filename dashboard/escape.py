"""Names from data shown as text, never as markup: one helper per renderer.

Every name that comes from an inbox file (a district, an organization, a person, a
community, an activity label or title, a file name) or from a sign-in (an email, a
display name) reaches the page through one of these two helpers:

- ``markdown(text)`` for Streamlit's Markdown: ``st.markdown``, ``st.caption``,
  ``st.title``/``header``/``subheader``, ``st.info``/``warning``/``error``/``success``,
  and the labels of buttons and other widgets;
- ``plotly(text)`` for Plotly's subset of HTML: titles, axis categories (tick labels),
  trace names (legends), bar texts and hover texts.

``st.dataframe`` cells, and the options of ``st.selectbox`` and ``st.multiselect``, are
drawn as plain text by Streamlit and take the name as it is.

Pure functions, no Streamlit import: the chart builders use them too.
"""

from __future__ import annotations

import html as _html
import re
import string

# U+2060 WORD JOINER: invisible, and not a space, so it splits a pattern without
# changing what the reader sees or where a line may break
WORD_JOINER = "\u2060"
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]")
# CommonMark lets a backslash escape every ASCII punctuation mark, and an escaped mark
# starts nothing: no emphasis, link, image, heading, list, table, code, HTML, math
# ($) or Streamlit directive (:red[...])
_MARKDOWN_ESCAPES = {ord(mark): "\\" + mark for mark in string.punctuation}
# Streamlit rewrites some plain text after parsing, whatever the escapes: GFM autolinks
# (http://, www., a@b.example), shortcodes (:streamlit:, emoji) and typographic arrows
# (->, <=, --). A word joiner after ':' and '@' and before '.', '-' and '=' breaks every
# one of those patterns.
_MARKDOWN_ESCAPES[ord(":")] = "\\:" + WORD_JOINER
_MARKDOWN_ESCAPES[ord("@")] = "\\@" + WORD_JOINER
for _mark in ".-=":
    _MARKDOWN_ESCAPES[ord(_mark)] = WORD_JOINER + "\\" + _mark
_HTML_ESCAPES = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;"}


def _one_line(text: object) -> str:
    return _LINE_BREAKS.sub(" ", "" if text is None else str(text))


def markdown(text: object) -> str:
    """``text`` for Streamlit's Markdown, shown exactly as it is, on one line.

    ``[登录](http://evil.example)`` reads as those characters, not as a link: every ASCII
    punctuation mark is backslash-escaped, word joiners (U+2060, invisible) keep
    Streamlit from turning addresses into links and shortcodes into icons, and line
    breaks become spaces (a line break could start a heading or a list).
    """
    return _one_line(text).translate(_MARKDOWN_ESCAPES)


def plotly(text: object) -> str:
    """``text`` for Plotly's labels, shown exactly as it is: ``<``, ``>`` and ``&`` as
    the entities Plotly decodes (``&lt;``, ``&gt;``, ``&amp;``), so ``<a href=...>``
    or ``<b>`` read as those characters and no tag is ever made from a name."""
    return _one_line(text).translate(_HTML_ESCAPES)


def html(text: object) -> str:
    """``text`` as the text of an HTML element or attribute value (the printed copy of a
    table, ``layout.print_table``): ``&``, ``<``, ``>``, ``"`` and ``'`` as entities, line
    breaks as spaces, so a name never becomes a tag or an attribute."""
    return _html.escape(_one_line(text), quote=True)


def css_string(text: object) -> str:
    """``text`` as a quoted CSS string (the printed sheets' header, set as the
    ``content`` of an ``@page`` margin box): every ASCII character but letters, digits
    and the space as a CSS hex escape, so no quote, backslash or ``</style>`` in a name
    can end the string or the style sheet."""
    escaped = "".join(
        char
        if char.isalnum() or char == " " or (ord(char) > 0x7F and char.isprintable())
        else f"\\{ord(char):x} "
        for char in _one_line(text)
    )
    return f'"{escaped}"'
