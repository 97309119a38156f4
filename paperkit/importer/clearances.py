"""The sign-off table as reviewers leave it, back into paper.yaml's `clearances:`.

Finance, legal and the director may sign off by filling in their row of the clearance table in
the sign-off DOCX (name, date, "cleared"). Each row is read back by the house style's own
words (role names, date format, "not yet recorded"); when the rows differ from what paper.yaml
recorded, its `clearances:` list is written again, the rest of the file (comments included)
as it was.
"""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..frontmatter import parse_date
from ..style import HouseStyle

STATUSES = ("cleared", "pending", "comments")


def clearances_from_rows(rows: list[list[str]], style: HouseStyle) -> tuple[list[dict[str, str]], list[str]]:
    """(clearances, warnings): each row the reviewers filled in, as paper.yaml records it."""
    roles = {name.lower(): role for role, name in style.clearance.roles.items()}
    out, warnings = [], []
    for cells in rows:
        label, name, date, status = [*cells, "", "", "", ""][:4]
        if not name and status in ("", style.clearance.not_recorded):
            continue
        role = roles.get(label.strip().lower())
        word, _colon, comments = status.partition(":")
        if role is None or word.strip().lower() not in STATUSES:
            warnings.append(f"clearance table row '{' | '.join(cells)}' is not one paperkit can read "
                            f"(role: one of {', '.join(style.clearance.roles.values())}; status: "
                            f"{', '.join(STATUSES)}); record it in paper.yaml by hand")
            continue
        entry = {"role": role, "name": name.strip()}
        parsed = parse_date(date.strip(), style)
        if parsed:
            entry["date"] = parsed.isoformat()
        elif date.strip():
            warnings.append(f"clearance date '{date}' is not written as {style.date_format}; left out")
        entry["status"] = word.strip().lower()
        if comments.strip():
            entry["comments"] = comments.strip()
        out.append(entry)
    return out, warnings


class _Date(str):
    """A date as paper.yaml writes it, 2018-06-21: kept as text, written back unquoted."""


def with_clearances(paper_yaml: str, clearances: list[dict[str, str]]) -> str:
    """paper.yaml with its clearances replaced, or as it was when they are the same."""
    yaml = YAML(typ="rt", pure=True)
    yaml.indent(mapping=2, sequence=4, offset=2)  # "  - item", as paperkit's files and docs write lists
    yaml.width = 4096  # long lines stay as they are
    yaml.constructor.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: _Date(node.value))
    yaml.representer.add_representer(_Date, lambda representer, value: representer.represent_scalar(
        "tag:yaml.org,2002:timestamp", str(value)))
    data: Any = yaml.load(paper_yaml)
    recorded = [{k: str(v) for k, v in entry.items()} for entry in (data.get("clearances") or [])]
    if recorded == clearances:
        return paper_yaml
    rows = CommentedSeq()
    for entry in clearances:
        row = CommentedMap({key: _Date(value) if key == "date" else value for key, value in entry.items()})
        row.fa.set_flow_style()
        rows.append(row)
    data["clearances"] = rows
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()
