"""WeasyPrint, loaded without its slow search for libraries.

On import, WeasyPrint opens Pango, HarfBuzz and fontconfig by trying each library's names for
every platform in turn ('libgobject-2.0-0', 'gobject-2.0-0', 'gobject-2.0', then
'libgobject-2.0.so.0', ...). cffi hands each name it cannot open to `ctypes.util.find_library`,
which on Linux asks the dynamic linker's cache (`ldconfig -p`) and, failing that, runs gcc and
then ld to look: some twenty processes, a quarter of a second, a third of the time WeasyPrint
takes to load (measured; Kozea/WeasyPrint#1125 asks why it runs gcc). A PDF build pays that on
every run.

While WeasyPrint loads, `find_library` here answers from the linker's cache only: the answer it
gives first anyway. A library found only by gcc's or ld's search is still found, because every
library's list of names holds its Linux file name ('libpango-1.0.so.0'), which cffi opens
directly with dlopen, and dlopen searches LD_LIBRARY_PATH and the system folders itself.
Elsewhere (no ldconfig lookup in ctypes) WeasyPrint loads as it is.
"""

from __future__ import annotations

import ctypes.util
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def _library_lookup_by_linker_cache() -> Iterator[None]:
    from_cache: Callable[[str], str | None] | None = getattr(ctypes.util, "_findSoname_ldconfig", None)
    if from_cache is None:
        yield
        return
    find_library = ctypes.util.find_library
    ctypes.util.find_library = from_cache  # type: ignore[assignment]
    try:
        yield
    finally:
        ctypes.util.find_library = find_library


with _library_lookup_by_linker_cache():
    from weasyprint import HTML, URLFetcher
    from weasyprint.text import ffi as libraries
    from weasyprint.urls import URLFetcherResponse

__all__ = ["HTML", "URLFetcher", "URLFetcherResponse", "libraries"]
