"""HTML printed to PDF by WeasyPrint, fetching nothing but the files of given folders.

Kept apart from the paper's PDF view (pdf.py) so that the build's PDF process loads WeasyPrint
and no more: the paper's model, its checks and the PDF library are the parent's to load, and
loading them in the child delayed every PDF by a tenth of a second.
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ..sources import RefusedFile, confined
from .weasy import HTML, URLFetcher, URLFetcherResponse, libraries

_checked_subsetting = False


class ConfinedFetcher(URLFetcher):  # type: ignore[misc]
    """Serves `file:` URLs inside the given folders, and `data:` URLs, and refuses everything else.

    WeasyPrint would otherwise follow any file:// or http:// address in the HTML; a paper
    must never read outside its template and its own folder, nor touch the network.
    """

    def __init__(self, *folders: Path) -> None:
        super().__init__(fail_on_errors=False)
        self.folders = [f.resolve() for f in folders]

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme == "data":  # pictures already read, and checked, with the paper
            return super().fetch(url, headers)
        if parts.scheme != "file":
            raise ValueError(f"paperkit fetches no {parts.scheme or 'relative'} resources: {url}")
        path = Path(unquote(parts.path))
        for folder in self.folders:
            try:
                real = confined(path, folder)  # the same rule as for a paper's own files
            except RefusedFile:
                continue
            content_type = mimetypes.guess_type(real.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, real.read_bytes(), {"Content-Type": content_type})
        raise ValueError(f"paperkit reads no files outside the template's folders: {url}")


def warn_once_without_harfbuzz_subset() -> None:
    """Say once that PDF writing will be slow, rather than WeasyPrint's warning per font."""
    global _checked_subsetting
    if _checked_subsetting:
        return
    _checked_subsetting = True
    logging.getLogger("weasyprint").addFilter(lambda record: "HarfBuzz-Subset" not in record.getMessage())
    if libraries.harfbuzz_subset is None:  # said by the command, which shows paperkit's log warnings
        logging.getLogger("paperkit").warning(
            "HarfBuzz subsetting library (Debian: libharfbuzz-subset0) is missing; PDF fonts are "
            "subset with fontTools instead, several times slower")


def html_to_pdf(html: str, base: Path | None, *allowed: Path, tagged: bool = True) -> bytes:
    """PDF of `html`, tagged (PDF/UA-1) unless asked not to, whose relative addresses start at
    `base` (the stylesheet's folder) if given, else stay relative; it may read files of `base`
    and `allowed` folders only."""
    warn_once_without_harfbuzz_subset()
    folders = (base, *allowed) if base is not None else allowed
    document = HTML(
        string=html,
        base_url=base.resolve().as_uri() + "/" if base is not None else None,
        url_fetcher=ConfinedFetcher(*folders),
    )
    pdf = document.write_pdf(pdf_variant="pdf/ua-1") if tagged else document.write_pdf()
    assert isinstance(pdf, bytes)
    return pdf
