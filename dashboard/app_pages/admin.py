"""Admin: users, settings, importing files, the quarantine of records that could not be read,
and the outgoing e-mail waiting, sent or given up on.

Every change is one call into `db/` (`db.users`, `db.settings`, `db.ingest.uploads`), which
checks that the acting user is an admin and records the Event. The tabs about input live in
`dashboard.admin_import`, the Users tab in `dashboard.admin_users`.
"""

from __future__ import annotations

import streamlit as st

from dashboard import admin_import, admin_users, data, signin, ui
from dashboard.outbox_ui import render_outbox_health
from db import clock
from db.models import utcnow
from db.settings import all_settings, save_settings
from db.sla import base_url

LIST_SETTINGS = {
    "own_handles": "Our own X handles",
    "own_domains": "Our own email domains",
    "ceo_addresses": "CEO email addresses",
    "vip_emails": "VIP customer emails",
    "vip_handles": "VIP customer handles",
}


def _settings_tab() -> None:
    with data.session() as s:
        current = all_settings(s)
        link = base_url(s)
    if link.startswith(("http://localhost", "http://127.")):
        st.warning(
            f"Links in e-mails point to {link}, which works only on the server itself. Set the "
            "Public base URL below to where people reach this app.",
            icon=":material/link_off:",
        )
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


st.title("Admin")
tabs = st.tabs(["Users", "Settings", "Import", "Quarantine", "Outgoing e-mail"])
users_tab, settings_tab, import_tab, quarantine_tab, outbox_tab = tabs
with users_tab:
    admin_users.render()
with settings_tab:
    _settings_tab()
with import_tab:
    admin_import.render_import()
    admin_import.render_mailboxes()
with quarantine_tab:
    admin_import.render_quarantine()
with outbox_tab:
    render_outbox_health()
