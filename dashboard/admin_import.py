"""The Admin page's input tabs: uploading files to import, the IMAP mailboxes fetched, and the
quarantine of records that could not be read (each with its reason and raw bytes)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard import data, signin, ui
from db.ingest.uploads import import_uploads
from db.models import utcnow

QUARANTINE_COLUMNS = {
    "id": st.column_config.NumberColumn("Record", width=70),
    "file": "File",
    "locator": "Where in the file",
    "format": "Format",
    "reason": st.column_config.TextColumn("Why it was rejected", width="large"),
    "source": "Full path (uploads: a temporary copy)",
}

MAILBOX_COLUMNS = {
    "mailbox": "Mailbox (user@host/folder)",
    "fetched": st.column_config.NumberColumn("Messages", width="small"),
    "last_error": st.column_config.TextColumn("Last fetch stopped on", width="large"),
}


def render_import() -> None:
    """Show the upload form, and what an import did."""
    st.caption(
        "Emails (.eml, mbox), X API JSON, JSONL, tweets.js or CSV. "
        "For very large files use `feedbackloop ingest` on the server."
    )
    files = st.file_uploader("Files", accept_multiple_files=True, key="admin_upload")
    if not files or not st.button("Import", type="primary", key="admin_import_go"):
        return
    uploads = [(upload.name, upload.getvalue()) for upload in files]
    with data.session() as s:
        me = signin.actor(s)
    with st.spinner("Importing…"):  # no session stays open while the import writes
        result = ui.domain_action(import_uploads, data.engine(), uploads, actor=me, now=utcnow())
    if result is None:
        return
    cols = st.columns(3)
    cols[0].metric("Imported", result.imported)
    cols[1].metric("Duplicates", result.duplicates)
    cols[2].metric("Rejected", result.rejected)
    for name, reason in result.unreadable:
        st.warning(f"{ui.escape_md(name)}: {ui.escape_md(reason)}")
    if result.rejected:
        st.info(
            f"{result.rejected} record(s) could not be read: the Quarantine tab lists each "
            "with the reason and its raw bytes.",
            icon=":material/report:",
        )


def render_mailboxes() -> None:
    """Show the IMAP folders fetched: when, how much, and why a fetch stopped."""
    st.subheader("Mailboxes")
    rows = data.mailboxes_frame()
    if rows.empty:
        st.caption(
            "No mailbox is fetched yet. To read customer mail straight from an IMAP folder, run "
            "`feedbackloop fetch imaps://user@host/INBOX` on the server, or give the worker "
            "`--fetch imaps://user@host/INBOX` to fetch before every round."
        )
        return
    rows = rows.assign(last_error=rows["last_error"].fillna(""))  # "None" reads like an error
    ui.dataframe(rows, hide_index=True, width="stretch", column_config=MAILBOX_COLUMNS | {
        "fetched_at": st.column_config.DatetimeColumn(
            ui.zone_header("Last fetched"), format="D MMM YYYY HH:mm", timezone=data.zone_name()
        ),
    })  # fmt: skip


def render_quarantine() -> None:
    """Show the records that could not be imported, and let one be downloaded."""
    rows = data.quarantine_frame()
    if rows.empty:
        ui.empty_state("Nothing in quarantine: every imported record could be read.")
        return
    shown = rows.assign(file=rows["source"].map(_file_name))
    ui.dataframe(
        shown[["id", "created_at", "file", "locator", "format", "reason", "source"]],
        hide_index=True,
        width="stretch",
        column_config={
            **QUARANTINE_COLUMNS,
            "created_at": st.column_config.DatetimeColumn(
                ui.zone_header("Rejected"), format="D MMM YYYY HH:mm", timezone=data.zone_name()
            ),
        },
    )
    pick = st.selectbox("Record to download", rows["id"].tolist(), key="admin_quarantine_id")
    raw = data.quarantine_raw(int(pick))
    name = f"quarantine-{pick}.bin"
    st.download_button("Download raw bytes", raw, file_name=name, key="admin_quarantine_dl")


def _file_name(source: str) -> str:
    """Return the file a record came from, or its mailbox URL whole (its folder alone says
    little)."""
    return source if "://" in source else Path(source).name
