"""The HTML view of a resolved paper: the house style's Jinja2 template fills it in.

One template serves two media: "pdf" (printed by WeasyPrint, see pdf.py) and "web" (one
self-contained page for the council's website: styles inline, pictures embedded, nothing
fetched). Autoescaping is on, so content text (`<`, `&`, `{{ }}`) is always text. The
template only walks the model; every number and word it prints was decided upstream.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import assert_never

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from ..model import (
    Block,
    Group,
    Heading,
    Image,
    Inline,
    ItemList,
    LineBreak,
    Link,
    Paragraph,
    Quote,
    Ref,
    Styled,
    Table,
    Text,
)
from ..resolved import Resolved
from ..resources import image_kind
from ..style import HouseStyle


def css_string(text: str) -> str:
    """`text` as a quoted CSS string (for list markers), whatever characters it holds."""
    escaped = re.sub(r'[\\"\x00-\x1f\x7f]', lambda m: f"\\{ord(m.group(0)):x} ", text)
    return f'"{escaped}\\9"'  # a tab after the number, as Word has


def node_kind(node: Inline | Block) -> str:
    """The name the HTML template dispatches on. Every node type has one, or mypy fails here."""
    match node:
        case Text():
            return "text"
        case Styled():
            return "styled"
        case LineBreak():
            return "linebreak"
        case Link():
            return "link"
        case Ref():
            return "ref"
        case Image():
            return "image"
        case Paragraph():
            return "paragraph"
        case Heading():
            return "heading"
        case Quote():
            return "quote"
        case Group():
            return "group"
        case Table():
            return "table"
        case ItemList():
            return "itemlist"
        case _:
            assert_never(node)


def unknown_node(node: object) -> str:
    """Called by a template's last branch: a node it has no case for is a loud failure, never
    silently left out of the page."""
    raise TypeError(f"the HTML template has no case for a {type(node).__name__} node")


def image_src(image: Image, medium: str) -> str:
    """The picture's bytes, inline, for the web page and the PDF alike: the PDF renderer then
    reads nothing from the paper's folder, and names the image by its content, not its path
    (the same paper in another folder gives the same bytes)."""
    return f"data:{image.mime};base64,{base64.b64encode(image.data).decode('ascii')}"


def _logo_src(logo: Path | None, medium: str) -> str:
    """The house style's logo: its file for the PDF, inline on the web."""
    if logo is None or not logo.is_file():
        return ""
    if medium == "web":
        data = logo.read_bytes()
        kind = image_kind(data)  # by its bytes, as a paper's own pictures are
        mime = f"image/{kind}" if kind else "image/svg+xml"  # style.py checks the logo is one of these
        return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    return logo.resolve().as_uri()


def template_environment(style: HouseStyle) -> Environment:
    """Jinja for a house style's HTML templates (the paper's, and a pack's agenda, index and
    stamps): its own folders only, everything escaped, a missing name an error."""
    return Environment(
        loader=FileSystemLoader(style.search_path),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def environment(resolved: Resolved) -> Environment:
    env = template_environment(resolved.style)
    env.filters["css_string"] = css_string
    env.filters["image_src"] = image_src
    env.filters["kind"] = node_kind
    env.globals["unknown_node"] = unknown_node
    return env


def render_html(resolved: Resolved, medium: str = "pdf") -> str:
    style = resolved.style
    template = environment(resolved).get_template(style.html_template.name)
    return template.render(
        paper=resolved.paper,
        heading=resolved.paper.heading,
        closing=style.closing,
        words=style.words,
        medium=medium,
        created=resolved.timestamp.isoformat().replace("+00:00", "Z"),
        stylesheet=style.stylesheet.resolve().as_uri(),  # the PDF's: the web page has its CSS inline
        logo=_logo_src(style.logo, medium),
        logo_alt=style.logo_alt,
        # The house style's own CSS, not content: inserted as it is (escaping would break its quotes).
        stylesheet_text=Markup(style.web_stylesheet.read_text(encoding="utf-8")) if medium == "web" else "",
    )


def render_html_file(resolved: Resolved, purpose: str = "publication") -> bytes:
    """The web page, as the bytes of one self-contained file (always for publication)."""
    return render_html(resolved, "web").encode("utf-8")
