"""Turn HTML mail into clean plain text: no markup, no scripts or styles, tidy whitespace.

Block-level tags become line breaks first, so paragraphs survive; nh3 then strips every tag
(dropping the content of script and style), entities are unescaped once, and whitespace is
normalised. The result is text only: it is stored and shown as text, never rendered.
"""

from __future__ import annotations

import html
import re

import nh3

_DROP = re.compile(r"<(head|title|style|script)\b.*?</\1\s*>", re.I | re.S)
_BLOCK = re.compile(r"<(br|/p|/div|/li|/tr|/h[1-6]|/blockquote|/table|hr)\b[^>]*>", re.I)
_ITEM = re.compile(r"<li\b[^>]*>", re.I)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u200b]+")
_BLANKS = re.compile(r"\n{3,}")


def html_to_text(markup: str) -> str:
    """Return the readable text of an HTML document or fragment."""
    markup = _DROP.sub(" ", markup)
    markup = _BLOCK.sub("\n", markup)
    markup = _ITEM.sub("\n- ", markup)
    text = html.unescape(nh3.clean(markup, tags=set()))
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()
