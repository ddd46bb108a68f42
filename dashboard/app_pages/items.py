"""Items: every improvement item as a board of status columns, filtered by owner, team, status.

Overdue and unowned items carry a red / orange badge; closed items sit in a folded section. Staff
see the board for status only (no link into item pages, which their role cannot open).
"""

from __future__ import annotations

import streamlit as st

from dashboard import data, signin, ui
from db.auth import can
from db.models import ItemStatus

S = ItemStatus
BOARD = (S.NEW, S.ACKNOWLEDGED, S.IN_PROGRESS, S.SHIPPED)
CLOSED = (S.LOOP_CLOSED, S.DECLINED, S.DUPLICATE)
LIMIT = 300
LABEL = {s: s.replace("_", " ").capitalize() for s in ItemStatus}


def _filters() -> tuple[str | None, int | None, str | None]:
    owners, teams = data.item_owners_and_teams()
    names = dict(owners)
    left, middle, right = st.columns(3)
    status = left.selectbox(
        "Status",
        list(ItemStatus),
        format_func=LABEL.get,
        index=None,
        placeholder="All statuses",
        key="items_status",
    )
    owner = middle.selectbox(
        "Owner",
        list(names),
        format_func=names.get,
        index=None,
        placeholder="Anyone",
        key="items_owner",
    )
    team = right.selectbox("Team", teams, index=None, placeholder="All teams", key="items_team")
    return status, owner, team


def _card(row, *, linkable: bool) -> None:
    with st.container(border=True, key=f"items_card_{row.id}"):
        st.markdown(f"**{ui.escape_md(row.title)}**")
        with st.container(horizontal=True, gap="small"):
            if row.overdue:
                st.badge("Overdue", icon=":material/alarm:", color="red")
            if row.unowned:
                st.badge("Unowned", icon=":material/person_off:", color="orange")
            if row.priority in ("high", "urgent"):
                st.badge(row.priority.capitalize(), color="violet")
        owner = ui.escape_md(row.owner) if row.owner else "no owner"
        age = f"{row.days_open} d since first complaint" if row.days_open is not None else ""
        team = ui.escape_md(row.team or "")
        count = ui.plural(row.messages, "message")
        st.caption(" · ".join(p for p in (owner, team, count, age) if p))
        if linkable:
            st.page_link(
                "app_pages/item.py",
                label=f"Open #{row.id}",
                icon=":material/arrow_forward:",
                query_params={"item": str(row.id)},
            )


def _column(rows, status: str, *, linkable: bool) -> None:
    st.markdown(f"##### {LABEL[status]} · {len(rows)}")
    for row in rows:
        _card(row, linkable=linkable)


me = signin.current_user()
st.title("Items")
status, owner_id, team = _filters()
rows = data.items_board(status, owner_id, team, LIMIT)
if len(rows) == LIMIT:
    st.caption(f"Showing the newest {LIMIT} items: filter by status, owner or team to see others.")
linkable = can(me, "item.read")
if not rows:
    ui.empty_state("No items match these filters.", icon=":material/view_kanban:")
elif status:
    _column(rows, status, linkable=linkable)
else:
    late = sum(r.overdue for r in rows)
    unowned = sum(r.unowned for r in rows)
    st.caption(f"{len(rows)} items · {late} overdue · {unowned} unowned")
    for col, state in zip(st.columns(len(BOARD)), BOARD, strict=True):
        with col:
            _column([r for r in rows if r.status == state], state, linkable=linkable)
    closed = [r for r in rows if r.status in CLOSED]
    with st.expander(f"Closed · {len(closed)} (loop closed, declined, duplicate)"):
        for state in CLOSED:
            _column([r for r in closed if r.status == state], state, linkable=linkable)
