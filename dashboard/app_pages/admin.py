"""Admin: users, settings, importing files, and the quarantine of records that could not be read.

Every change is one call into `db/` (`db.auth`, `db.settings`, `db.ingest.uploads`), which
checks that the acting user is an admin and records the Event.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard import data, signin, ui
from db import auth, clock
from db.ingest.uploads import import_uploads
from db.models import Role, utcnow
from db.settings import all_settings, save_settings

LIST_SETTINGS = {
    "own_handles": "Our own X handles",
    "own_domains": "Our own email domains",
    "ceo_addresses": "CEO email addresses",
    "vip_emails": "VIP customer emails",
    "vip_handles": "VIP customer handles",
}

QUARANTINE_COLUMNS = {
    "id": st.column_config.NumberColumn("Record", width=70),
    "file": "File",
    "locator": "Where in the file",
    "format": "Format",
    "reason": st.column_config.TextColumn("Why it was rejected", width="large"),
    "source": "Full path (uploads: a temporary copy)",
}


def _users_tab() -> None:
    users = data.users_frame()
    st.dataframe(
        users.drop(columns=["id"]),
        hide_index=True,
        width="stretch",
        column_config={
            "name": "Name",
            "email": "Email",
            "role": "Role",
            "team": "Team",
            "active": st.column_config.CheckboxColumn("Active"),
            "created_at": st.column_config.DatetimeColumn("Added", format="D MMM YYYY"),
        },
    )
    add, deactivate = st.columns(2, gap="large")
    with add, st.form("admin_add_user", clear_on_submit=True):
        st.subheader("Add a user")
        name = st.text_input("Name", key="admin_new_name")
        email = st.text_input("Email", key="admin_new_email")
        roles = [r.value for r in Role]  # the least access by default: staff read the log
        role = st.selectbox("Role", roles, index=roles.index(Role.STAFF), key="admin_new_role")
        team = st.text_input("Team (optional)", key="admin_new_team")
        password = st.text_input("Initial password", type="password", key="admin_new_password")
        if st.form_submit_button("Add user", type="primary", key="admin_add_go"):
            fields = dict(email=email, name=name, role=role, team=team or None, password=password)
            _run(auth.create_user, f"Added {name}.", **fields)
    active = users[users["active"]]
    labels = {row.id: f"{row.name} <{row.email}>" for row in active.itertuples()}
    with deactivate, st.form("admin_deactivate"):
        st.subheader("Deactivate a user")
        st.caption("They can no longer sign in; their history stays.")
        pick = st.selectbox(
            "User",
            list(labels),
            index=None,
            format_func=labels.get,
            placeholder="Choose a user",
            key="admin_deactivate_id",
        )
        if st.form_submit_button("Deactivate", key="admin_deactivate_go"):
            if pick is None:
                st.error("Choose the user to deactivate.")
            else:
                _run(auth.deactivate_user, f"Deactivated {labels[pick]}.", int(pick))


def _run(fn, success: str, *args, **kw) -> None:
    with data.session() as s:
        ui.domain_action(
            fn, s, *args, success=success, rerun=True, actor=signin.actor(s), now=utcnow(), **kw
        )


def _settings_tab() -> None:
    with data.session() as s:
        current = all_settings(s)
    with st.form("admin_settings"):
        values = {}
        columns = st.columns(2)
        for n, (key, label) in enumerate(LIST_SETTINGS.items()):
            values[key] = columns[n % 2].text_area(
                label,
                "\n".join(current[key]),
                key=f"admin_set_{key}",
                help="One per line.",
                height=100,
            )
        values["theme_synonyms"] = st.text_area(
            "Theme synonyms",
            "\n".join(current["theme_synonyms"]),
            key="admin_set_synonyms",
            help="Your customers' words for the same thing, one concept a line: "
            "`stall: stall stalls charger bay`. Messages that say it differently then group "
            "into one theme. `feedbackloop rescore` regroups messages already stored.",
            height=100,
        )
        sla = int(current["sla_ack_business_days"])
        values["sla_ack_business_days"] = st.number_input(
            "Acknowledge a forward within (business days)", 1, 30, sla, key="admin_set_sla"
        )
        zones = clock.zone_names()
        values["time_zone"] = st.selectbox(
            "Time zone",
            zones,
            index=zones.index(current["time_zone"]) if current["time_zone"] in zones else None,
            key="admin_set_zone",
            help="The company's days and clock: the feed's day, due times and business days, "
            "the digest hour, Insights' days and every time shown. A change recounts Insights' "
            "daily figures.",
        )
        values["public_base_url"] = st.text_input(
            "Public base URL",
            current["public_base_url"],
            key="admin_set_url",
            placeholder="https://feedback.example.com",
            help="Where people reach this app: the links in forward and reminder e-mails start "
            "with it. Empty: the server's FL_BASE_URL, else http://localhost:8501.",
        )
        if st.form_submit_button("Save settings", type="primary", key="admin_settings_go"):
            _save_settings(values)


def _save_settings(values: dict) -> None:
    def saved(changed: list[str]) -> str:
        return "Settings saved." if changed else "Nothing to save: no setting changed."

    with data.session() as s:
        ui.domain_action(
            save_settings, s, values, success=saved, rerun=True, actor=signin.actor(s), now=utcnow()
        )


def _import_tab() -> None:
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
        st.warning(f"{name}: {reason}")
    if result.rejected:
        st.info(
            f"{result.rejected} record(s) could not be read: the Quarantine tab lists each "
            "with the reason and its raw bytes.",
            icon=":material/report:",
        )


def _quarantine_tab() -> None:
    rows = data.quarantine_frame()
    if rows.empty:
        ui.empty_state("Nothing in quarantine: every imported record could be read.")
        return
    shown = rows.assign(file=rows["source"].map(lambda p: Path(str(p)).name))
    st.dataframe(
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


st.title("Admin")
users_tab, settings_tab, import_tab, quarantine_tab = st.tabs(
    ["Users", "Settings", "Import", "Quarantine"]
)
with users_tab:
    _users_tab()
with settings_tab:
    _settings_tab()
with import_tab:
    _import_tab()
with quarantine_tab:
    _quarantine_tab()
