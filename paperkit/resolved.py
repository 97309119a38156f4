"""A paper ready to render: the model with every number and reference filled in, its house
style and what its reading opened. Renderers take this and nothing else; it belongs to the
model layer, so renderers never depend on the pipeline that makes it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostics
from .model import Paper
from .sources import SourceFiles
from .style import HouseStyle


@dataclass(frozen=True)
class Resolved:
    """A paper with every number and reference filled in, and the house style it uses."""

    paper: Paper
    style: HouseStyle
    paper_dir: Path
    diagnostics: Diagnostics
    timestamp: dt.datetime  # the build's date in every output, so equal content gives equal bytes
    templates_root: Path
    sources: SourceFiles  # the paper's files this reading opened, each with its digest
    audience: str  # "private": everything; "public": never an exempt file
