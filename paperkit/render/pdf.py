"""The PDF view: the HTML view printed by WeasyPrint, fetching nothing but template files."""

from __future__ import annotations

from ..resolved import Resolved
from .attached import lay_attached_pages
from .html import render_html
from .printer import html_to_pdf


def render_pdf(resolved: Resolved, purpose: str = "publication") -> bytes:
    """The published PDF (`purpose` is always publication: no draft marking, no clearances)."""
    # No base address: the paper's HTML names its stylesheet and logo by absolute file address,
    # and a link to a file of the paper stays relative, as published beside the PDF.
    pdf = html_to_pdf(render_html(resolved), None, *resolved.style.search_path)
    return lay_attached_pages(pdf, resolved)
