"""Outbox health for the Admin page: e-mails waiting, sent, and the ones given up on, which an
admin can send again once SMTP works. Only addresses, subjects and SMTP errors are shown (no
bodies), as plain text."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data, signin, ui
from db.delivery import MAX_ATTEMPTS
from db.errors import DomainError
from db.models import utcnow
from db.outbox import failed_emails, outbox_counts, retry_failed
from db.smtp import SmtpSettings

FAILED_COLUMNS = ["id", "kind", "to", "subject", "attempts", "last error", "queued"]


def render_outbox_health() -> None:
    """Show outbox counts per status, SMTP configuration, and the failed e-mails."""
    with data.session() as s:
        counts = outbox_counts(s)
        failed = failed_emails(s)
    cols = st.columns(4)
    for col, status in zip(cols, ("pending", "sending", "sent", "failed"), strict=True):
        col.metric(status.title(), counts.get(status, 0))
    try:
        smtp = SmtpSettings.from_env()
    except DomainError as e:  # a malformed SMTP_* variable on the server
        st.error(f"The SMTP settings are wrong: {e}", icon=":material/error:")
        smtp = False
    if smtp is None:
        st.info(
            "SMTP is not configured (set SMTP_HOST and the other SMTP_ variables for "
            "`feedbackloop worker`); e-mails wait in the outbox until it is.",
            icon=":material/info:",
        )
    if not failed:
        ui.empty_state("No e-mail was given up on.")
        return
    st.warning(f"{len(failed)} e-mail(s) were given up on after {MAX_ATTEMPTS} attempts.")
    table = pd.DataFrame(failed, columns=FAILED_COLUMNS)
    ui.dataframe(table, hide_index=True, width="stretch", key="admin_outbox_failed")
    if st.button("Send them again", icon=":material/send:", key="admin_outbox_retry"):
        with data.session() as s:
            ui.domain_action(
                retry_failed, s, actor=signin.actor(s), now=utcnow(), rerun=True,
                success=lambda n: f"{n} e-mail(s) queued again; the worker sends them next.",
            )  # fmt: skip
