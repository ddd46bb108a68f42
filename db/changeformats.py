"""How the public "What we changed" log is written out: Markdown, HTML, Atom and JSON.

Pure functions of the entries `db/changelog.py` reads (already redacted there): the "You said —
we did" line of an entry, and each export format with its escaping (Markdown punctuation, HTML,
XML), stable Atom ids and RFC 3339 timestamps. Nothing here touches the database.
"""

from __future__ import annotations

import json
import uuid
import xml.etree.ElementTree as ET
from dataclasses import asdict
from datetime import UTC, datetime
from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from db.changelog import PublicEntry

ATOM = "http://www.w3.org/2005/Atom"


def rfc3339(dt: datetime) -> str:
    """Return `dt` as an RFC 3339 UTC timestamp, e.g. 2026-11-20T08:00:00Z."""
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def summary(entry: PublicEntry) -> str:
    """Return the "You said — we did" line of an entry."""
    people = f"{entry.customers} customer{'s' if entry.customers != 1 else ''}"
    if entry.kind == "declined":
        return f"{people} asked for this. We decided not to do it."
    days = (
        ""
        if entry.days_to_fix is None
        else f", fixed {_days(entry.days_to_fix)} after the first report"
    )
    return f"{people} told us{days}."


def _days(d: float) -> str:
    return "1 day" if d == 1 else f"{d:g} days"


def _md_text(s: str) -> str:
    return "".join("\\" + ch if ch in "\\`*_{}[]()#!<>|~" else ch for ch in s)


def _md(entries: list[PublicEntry], *, base: str, now: datetime) -> str:
    lines = ["# What we changed", "", "You said — we did.", ""]
    for e in entries:
        label = "Not changing" if e.kind == "declined" else "Shipped"
        lines += [
            f"## {_md_text(e.title)}",
            "",
            f"*{label} {e.when:%d %B %Y}* — {_md_text(summary(e))}",
            "",
            _md_text(e.text),
            "",
        ]
    return "\n".join(lines)


_CSS = (
    "body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;max-width:720px;"
    "margin:2rem auto;padding:0 1rem;color:#1f2328;line-height:1.5}"
    "article{border-bottom:1px solid #d0d7de;padding:1rem 0}h2{margin:.2rem 0;font-size:1.25rem}"
    ".meta{color:#656d76;font-size:.9rem}.declined h2{color:#656d76}p{white-space:pre-wrap}"
)


def _html(entries: list[PublicEntry], *, base: str, now: datetime) -> str:
    parts = [
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>What we changed'
        f"</title><style>{_CSS}</style></head><body><h1>What we changed</h1>"
        f'<p class="meta">You said — we did. Updated {now:%d %B %Y}.</p>'
    ]
    for e in entries:
        label = "Not changing" if e.kind == "declined" else "Shipped"
        parts.append(
            f'<article id="item-{e.item_id}" class="{e.kind}"><h2>{escape(e.title)}</h2>'
            f'<div class="meta">{label} {e.when:%d %B %Y} · {escape(summary(e))}</div>'
            f"<p>{escape(e.text)}</p></article>"
        )
    return "".join(parts) + "</body></html>\n"


def entry_id(base: str, item_id: int) -> str:
    """Return the stable Atom id of an item's entry (a name-based urn:uuid)."""
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"{base}/changes#item-{item_id}"))


def _atom(entries: list[PublicEntry], *, base: str, now: datetime) -> str:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    updated = max((e.when for e in entries), default=now)
    feed_id = "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"{base}/changes"))
    for tag, text in (("id", feed_id), ("title", "What we changed"), ("updated", rfc3339(updated))):
        ET.SubElement(feed, f"{{{ATOM}}}{tag}").text = text
    ET.SubElement(
        feed, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=f"{base}/changes"
    )
    ET.SubElement(
        ET.SubElement(feed, f"{{{ATOM}}}author"), f"{{{ATOM}}}name"
    ).text = "Feedback Loop"
    for e in entries:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = entry_id(base, e.item_id)
        ET.SubElement(entry, f"{{{ATOM}}}title").text = e.title
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = rfc3339(e.when)
        ET.SubElement(
            entry, f"{{{ATOM}}}link", rel="alternate", href=f"{base}/changes#item-{e.item_id}"
        )
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = summary(e)
        ET.SubElement(entry, f"{{{ATOM}}}content", type="text").text = e.text
    ET.indent(feed)
    return ET.tostring(feed, encoding="unicode", xml_declaration=True) + "\n"


def _json(entries: list[PublicEntry], *, base: str, now: datetime) -> str:
    rows = [
        {
            **asdict(e),
            "id": entry_id(base, e.item_id),
            "when": rfc3339(e.when),
            "summary": summary(e),
        }
        for e in entries
    ]
    doc = {
        "title": "What we changed",
        "link": f"{base}/changes",
        "updated": rfc3339(now),
        "entries": rows,
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def render_entries(entries: list[PublicEntry], *, fmt: str, base: str, now: datetime) -> str:
    """Write the entries out as `md`, `html`, `atom` or `json`."""
    render = {"md": _md, "html": _html, "atom": _atom, "json": _json}[fmt]
    return render(entries, base=base, now=now)
