"""The clearance record: who has signed a paper off, checked against the house style.

The sign-off DOCX shows it as a table; publication outputs never contain it, and a house
style may refuse publication until named roles have cleared the paper.
"""

from __future__ import annotations

import difflib
from dataclasses import replace

from .diagnostics import Diagnostics, Loc
from .frontmatter import format_date
from .model import ClearanceRow, Paper
from .style import HouseStyle


def check_clearance_roles(paper: Paper, style: HouseStyle, diags: Diagnostics) -> None:
    roles = style.clearance.roles
    for clearance in paper.meta.clearances:
        if clearance.role not in roles:
            close = difflib.get_close_matches(clearance.role, roles, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else f" (roles: {', '.join(roles) or 'none'})"
            diags.error(clearance.loc, "clearance-role", f"the template has no clearance role '{clearance.role}'{hint}")


def missing_for_publication(paper: Paper, style: HouseStyle) -> list[str]:
    """The required roles that have not cleared the paper, each with what is recorded."""
    recorded = {c.role: c.status for c in paper.meta.clearances}
    return [f"{style.clearance.roles.get(role, role)} ({recorded.get(role, 'not recorded')})"
            for role in style.clearance.required if recorded.get(role) != "cleared"]


def publication_diagnostics(paper: Paper, style: HouseStyle) -> Diagnostics:
    diags = Diagnostics()
    missing = missing_for_publication(paper, style)
    if missing:
        line = paper.meta.lines.get("clearances", 1)
        diags.error(Loc(paper.meta.loc.path, line), "clearance-missing",
                    f"not cleared for publication: {'; '.join(missing)}")
    return diags


def add_clearance_rows(paper: Paper, style: HouseStyle) -> Paper:
    """The table's lines, in the template's order of roles: every clearance recorded, and
    every role publication requires that has none yet (so a reviewer sees what is missing)."""
    spec = style.clearance
    by_role = {c.role: c for c in paper.meta.clearances}
    shown = [r for r in spec.roles if r in by_role or r in spec.required]
    rows = []
    for role in [*shown, *(r for r in by_role if r not in spec.roles)]:
        entry = by_role.get(role)
        label = spec.roles.get(role, role)
        if entry is None:
            rows.append(ClearanceRow(label, "", "", spec.not_recorded))
            continue
        date = format_date(entry.date, style) if entry.date else ""
        status = entry.status + (f": {entry.comments}" if entry.comments else "")
        rows.append(ClearanceRow(label, entry.name, date, status))
    return replace(paper, clearance_rows=tuple(rows))
