"""Outbox health for the Admin page: e-mails waiting, sent, and the ones given up on.

Call `render_outbox_health()` from the Admin page. Only addresses, subjects and SMTP errors
are shown (no bodies), as plain text.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data
from db.notify import MAX_ATTEMPTS, SmtpSettings, failed_emails, outbox_counts


def render_outbox_health() -> None:
    """Show outbox counts per status, SMTP configuration, and the failed e-mails."""
    st.subheader("Outgoing e-mail")
    with data.session() as s:
        counts = outbox_counts(s)
        failed = failed_emails(s)
    cols = st.columns(4)
    for col, status in zip(cols, ("pending", "sending", "sent", "failed"), strict=True):
        col.metric(status.title(), counts.get(status, 0))
    if SmtpSettings.from_env() is None:
        st.info("SMTP is not configured (set SMTP_HOST); e-mails wait in the outbox.")
    if failed:
        st.warning(f"{len(failed)} e-mail(s) were given up on after {MAX_ATTEMPTS} attempts.")
        names = ["id", "kind", "to", "subject", "attempts", "last error", "queued"]
        st.dataframe(pd.DataFrame(failed, columns=names), hide_index=True)
