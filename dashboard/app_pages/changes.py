"""The public "What we changed" page: no sign-in, nothing that identifies a customer.

Entries come from `db.changelog.public_entries` (already redacted); all wording is shown as
plain text or escaped Markdown, so nothing typed into the public text can run or link.
"""

from __future__ import annotations

from functools import partial
from statistics import median

import streamlit as st

from dashboard import data, ui
from db.changeformats import summary

entries = data.public_log()

st.title("What we changed")
st.markdown("**You said — we did.** Every change below started with customers telling us.")

shipped = [e for e in entries if e.kind == "shipped"]
days = [e.days_to_fix for e in shipped if e.days_to_fix is not None]
left, middle, right = st.columns(3)
left.metric("Changes shipped", len(shipped))
middle.metric("Customers who raised them", sum(e.customers for e in shipped))
right.metric("Median days, first report to fix", f"{median(days):g}" if days else "—")

if not entries:
    ui.empty_state("Nothing here yet. When we ship a fix you asked for, it appears here.")

PAGE = 20
shown = st.session_state.setdefault("changes_shown", PAGE)
for entry in entries[:shown]:
    with st.container(border=True, key=f"changes_entry_{entry.item_id}"):
        st.subheader(ui.escape_md(entry.title), anchor=f"item-{entry.item_id}")
        label = "Not changing" if entry.kind == "declined" else "Shipped"
        st.caption(ui.escape_md(f"{label} {entry.when:%d %B %Y} · {summary(entry)}"))
        st.text(entry.text)
more = len(entries) - shown
if more > 0 and st.button(f"Show older changes ({more} more)", key="changes_more"):
    st.session_state["changes_shown"] = shown + PAGE
    st.rerun()

if entries:
    with st.expander("Follow these changes"):
        st.caption("Download the log for a feed reader or your own site.")
        cols = st.columns(3)
        for col, (fmt, mime, name) in zip(
            cols,
            [
                ("atom", "application/atom+xml", "changes.xml"),
                ("json", "application/json", "changes.json"),
                ("md", "text/markdown", "changes.md"),
            ],
            strict=True,
        ):
            col.download_button(
                f"{fmt.upper()}",
                data=partial(data.public_log_export, fmt),  # built only when clicked
                file_name=name,
                mime=mime,
                key=f"changes_dl_{fmt}",
            )
