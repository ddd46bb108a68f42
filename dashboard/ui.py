"""Small shared renderers: domain actions with friendly errors, inert customer text, chips.

Customer text is untrusted. It is shown with `st.text` (never Markdown or HTML); where a
customer-derived string must sit inside Markdown (a card title, a name), `escape_md` makes
every character literal first, so no link, image or directive can come from it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import data
from db import clock
from db.errors import DomainError

FLASH_KEY = "ui_flash"
CHANNEL_ICONS = {"email": ":material/mail:", "tweet": ":material/tag:", "mixed": ":material/forum:"}
CHANNEL_LABELS = {"email": "Email", "tweet": "Post on X", "mixed": "Email and X"}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$&\"'=^%@/;?])")
_AUTOLINK = re.compile(r"www\.", re.IGNORECASE)
_JOINER = "\u2060"  # WORD JOINER: invisible, and no autolink runs through it
PREVIEW_CHARS = 420
# a cell a spreadsheet would run: "=HYPERLINK(...)", "@SUM(1)*cmd|...", "-2+3+cmd|..." (not a
# tweet's "@VoltraCare my car ..." nor "+44 7700 ..."): the grids' CSV download writes it as is
_FORMULA = re.compile(r"[=\t\r]|[+\-@]\S*[(|]")


def plural(n: int, noun: str) -> str:
    """Return "1 message" or "3 messages"."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def escape_md(text: str | None) -> str:
    """Return `text` as literal Markdown on one line: no markup, no link, no image.

    Backslash escapes stop Markdown syntax but not GFM's autolinks ("www.x", "http://x",
    "a@b.c"), so an invisible word joiner after every "@" and ":" and inside "www." breaks them.
    """
    flat = " ".join(str(text or "").split())
    flat = _AUTOLINK.sub(lambda m: m.group(0)[0] + _JOINER + m.group(0)[1:], flat)
    return _MD_SPECIAL.sub(r"\\\1", flat).replace("@", "@" + _JOINER).replace(":", ":" + _JOINER)


def domain_action(
    fn: Callable[..., Any],
    *args: Any,
    success: str | Callable[[Any], str] | None = None,
    rerun: bool = False,
    **kw: Any,
) -> Any:
    """Run a domain call; show its DomainError as `st.error`, else flash `success` (or
    `success(result)`, to word it with the result, e.g. an item's number) and return."""
    try:
        result = fn(*args, **kw)
    except DomainError as error:
        st.error(str(error), icon=":material/error:")
        return None
    data.clear_caches()
    if success:
        st.session_state[FLASH_KEY] = success(result) if callable(success) else success
    if rerun:
        st.rerun()
    return result


def show_flash() -> None:
    """Show (once) the confirmation left by the last successful action."""
    message = st.session_state.pop(FLASH_KEY, None)
    if message:
        st.toast(message, icon=":material/check_circle:")


def message_text(
    text: str | None, *, preview: int = PREVIEW_CHARS, more: str = "Show the whole message"
) -> None:
    """Show customer text inert (plain text); long text is cut with the rest in an expander."""
    body = (text or "").strip() or "(no text)"
    if len(body) <= preview:
        st.text(body)
        return
    st.text(body[:preview].rstrip() + " …")
    with st.expander(more):
        st.text(body)


def reasons(items: list[str] | None) -> None:
    """Show the reasons a message is notable as one compact, escaped caption line."""
    if items:
        st.caption("  ·  ".join(escape_md(r) for r in items))


def score_badge(score: float, *, top: float | None = None) -> None:
    """Show the notability score as a badge, coloured by its share of the day's top score."""
    share = score / top if top else 0.0
    color = "red" if share >= 0.66 else "orange" if share >= 0.33 else "gray"
    st.badge(f"{score:.0f}", icon=":material/bolt:", color=color, help=SCORE_HELP)


SCORE_HELP = (
    "Notability: the sum of the points of the reasons listed under the message. "
    "5 or more is notable; 10 or more is rare (say a safety issue from a large account). "
    "Red: close to the top of this feed; orange: a third of the top or more."
)


def channel_icon(channel: str) -> str:
    """Return the Material icon for a channel ("email", "tweet" or "mixed")."""
    return CHANNEL_ICONS.get(channel, ":material/forum:")


def empty_state(message: str, *, icon: str = ":material/inbox:") -> None:
    """Show a calm empty state that says what is (not) there and what to do."""
    st.info(message, icon=icon)


def compact_number(value: int | float) -> str:
    """Return 8900000 as "8.9M", 12400 as "12.4k"."""
    for size, suffix in ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "k")):
        if abs(value) >= size:
            return f"{value / size:.1f}".rstrip("0").rstrip(".") + suffix
    return f"{value:.0f}"


STAMP = "%d %b %Y %H:%M"  # the one way the app writes a moment: "21 Nov 2026 14:05"


def stamp(when: datetime | None, *, weekday: bool = False, zone: bool = True) -> str:
    """Return `when` in the company's time as the app writes every moment: "21 Nov 2026 14:05
    GMT" ("Sat 21 Nov 2026 …" with `weekday`, for due dates; without the zone's abbreviation
    under a column headed by the zone, `zone_header`)."""
    if when is None:
        return ""
    return clock.stamp(when, data.zone(), ("%a " if weekday else "") + STAMP, label=zone)


def zone_header(name: str) -> str:
    """Return a column header for moments written without their zone: "When (Europe/Paris)"."""
    return f"{name} ({data.zone_name()})"


def relative_time(when: datetime | None, *, now: datetime | None = None) -> str:
    """Return a short "2 h ago" / "in 3 d" description of `when`."""
    if when is None:
        return "—"
    now = now or datetime.now(UTC)
    seconds = (now - when).total_seconds()
    ahead, seconds = seconds < 0, abs(seconds)
    if seconds < 60:
        return "just now"
    for size, unit in ((86_400, "d"), (3_600, "h"), (60, "min")):
        if seconds >= size:
            amount = f"{int(seconds // size)} {unit}"
            return f"in {amount}" if ahead else f"{amount} ago"
    return "just now"


def heading_link(title: str, item_id: int | None) -> None:
    """Show an inbox entry's title: a link to its item ("#12 ..."), or bold text without one."""
    if item_id:
        label = f"#{item_id} {escape_md(title)}"
        st.page_link("app_pages/item.py", label=label, query_params={"item": str(item_id)})
    else:
        st.markdown(f"**{escape_md(title)}**")


def dataframe(frame: Any, **kwargs: Any) -> Any:
    """Show `frame` as `st.dataframe` does, with text a spreadsheet would run as a formula made
    inert (a leading apostrophe), since anyone can download a grid as CSV and open it."""
    text = [c for c in frame.columns if pd.api.types.is_string_dtype(frame[c])]
    if text:
        frame = frame.assign(**{c: frame[c].map(_inert) for c in text})
    return st.dataframe(frame, **kwargs)


def _inert(value: Any) -> Any:
    return "'" + value if isinstance(value, str) and _FORMULA.match(value) else value
