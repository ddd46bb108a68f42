"""Turn HTML mail into clean plain text: no markup, no scripts or styles, tidy whitespace.

Head, title, style and script elements go with their content, block-level tags become line
breaks so paragraphs survive, nh3 strips what is left (dropping the content of an unclosed script
or style), entities are unescaped once, and whitespace is normalised. The result is text only:
it is stored and shown as text, never rendered.

Every step is linear in the size of the HTML, because a customer's mail can be hostile. A lazy
`<style\\b.*?</style>` pattern rescans the rest of the text from every unclosed `<style`, and
`<br[^>]*>` does the same from every `<br` when no `>` follows; so elements are dropped by a scan
that remembers which closing tags are missing, and tag patterns run only up to the last `>`.
nh3's parser (html5ever) is itself quadratic in the nesting depth (`<div>` repeated) and in the
attributes of one tag, so it is given a flat document: the tags that cannot change the text are
removed first, with a pattern that reads attributes as the parser does, and the few kept lose
their attributes.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import nh3

HTML_CAP = 8_000_000  # characters of HTML converted; the text kept is capped lower still

_WS = r"[\t\n\f\r ]"  # HTML's whitespace: the tokenizer ends names on these, not on all of \s
# The attributes of a tag as the HTML tokenizer reads them: a quote opens a value only right
# after '=', and a quoted value may hold '>'. Possessive, so a failed match never backtracks.
_ATTRS = (
    rf"(?:{_WS}|/|[^\t\n\f\r />][^\t\n\f\r />=]*"
    rf"(?:{_WS}*={_WS}*(?:\"[^\"]*\"|'[^']*'|[^\t\n\f\r >]*))?)*+"
)
# The tags whose content the parser drops. Table tags go too: given to the parser without their
# end tags (those became line breaks), they moved all text after a table to before it.
_KEEP = "script|style|template"

_OPEN = re.compile(r"<(head|title|style|script)\b", re.I)
_CLOSE = {name: re.compile(rf"</{name}\s*>", re.I) for name in ("head", "title", "style", "script")}
_BLOCK = re.compile(r"<(br|/p|/div|/li|/tr|/h[1-6]|/blockquote|/table|hr)\b[^>]*>", re.I)
_ITEM = re.compile(r"<li\b[^>]*>", re.I)
_STRAY_LT = re.compile(r"<(?![A-Za-z/!?])")  # text, not a tag: escaped so no tag forms around it
_FLAT = re.compile(
    rf"<(?i:pre|listing|textarea)(?={_WS}|/|>){_ATTRS}>(?:\r\n|\r|\n)?"  # that newline is no text
    rf"|</?(?!(?i:{_KEEP})[\t\n\f\r />])[A-Za-z][^\t\n\f\r />]*{_ATTRS}>"  # any other tag
    r"|</(?![A-Za-z])[^>]*>"  # '</>' or '</ x>': the parser ignores them
)
_KEPT = re.compile(rf"<(/?)((?i:{_KEEP}))(?={_WS}|/|>){_ATTRS}>")
_OPEN_AT_END = re.compile(r"<(?:[A-Za-z!?]|/.)", re.S)  # a tag or comment running to the end
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u200b]+")
_BLANKS = re.compile(r"\n{3,}")


def html_to_text(markup: str) -> str:
    """Return the readable text of an HTML document or fragment."""
    markup = _drop_elements(markup[:HTML_CAP])
    markup = _sub_tags(_BLOCK, "\n", markup)
    markup = _sub_tags(_ITEM, "\n- ", markup)
    text = html.unescape(nh3.clean(_flatten(markup), tags=set()))
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


def _drop_elements(markup: str) -> str:
    """Replace each closed head, title, style and script element, content and all, by a space."""
    parts, pos, search_at, unclosed = [], 0, 0, set()
    while match := _OPEN.search(markup, search_at):
        name = match[1].lower()
        close = None if name in unclosed else _CLOSE[name].search(markup, match.end())
        if close is None:
            unclosed.add(name)  # no closing tag after here, so none after any later opening
            search_at = match.start() + 1
            continue
        parts += [markup[pos : match.start()], " "]
        pos = search_at = close.end()
    parts.append(markup[pos:])
    return "".join(parts)


def _sub_tags(
    pattern: re.Pattern[str], repl: str | Callable[[re.Match[str]], str], markup: str
) -> str:
    """Apply a tag pattern up to the last '>': a tag ends with one, and none can match after."""
    end = markup.rfind(">") + 1
    return pattern.sub(repl, markup[:end]) + markup[end:]


def _flatten(markup: str) -> str:
    """Remove the tags that do not change the text and strip the rest of their attributes."""
    markup = _sub_tags(_FLAT, "", _STRAY_LT.sub("&lt;", markup))
    markup = _sub_tags(_KEPT, lambda m: f"<{m[1]}{m[2].lower()}>", markup)
    # after the last '>' a tag or comment can only run to the end, where the parser drops it
    end = markup.rfind(">") + 1
    tail = _OPEN_AT_END.search(markup, end)
    return markup[: tail.start()] if tail else markup
