"""The HTML view of a resolved paper: the house style's Jinja2 template fills it in.

Autoescaping is on, so content text (`<`, `&`, `{{ }}`) is always printed as text. The
template only walks the model; every number and word it prints was decided upstream.
"""

from __future__ import annotations

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from ..pipeline import Resolved


def environment(resolved: Resolved) -> Environment:
    return Environment(
        loader=FileSystemLoader(resolved.style.directory),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_html(resolved: Resolved) -> str:
    style = resolved.style
    template = environment(resolved).get_template(style.html_template.name)
    return template.render(
        paper=resolved.paper,
        heading=resolved.paper.heading,
        closing=style.closing,
        stylesheet=style.stylesheet.name,
    )
