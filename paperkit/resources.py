"""What a paper may point at: web links, and files inside its own folder, nothing else.

Checked when the paper is read, so `paperkit check` reports every refused address with
its line. The PDF renderer's URL fetcher refuses the rest again, as a second defence.
"""

from __future__ import annotations

import io
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote, urlsplit

from .diagnostics import Diagnostics, Loc
from .limits import MAX_ATTACHED_PDF_PAGES, MAX_IMAGE_PIXELS
from .sources import RefusedFile, confined

WEB_SCHEMES = {"http", "https"}
LINK_SCHEMES = WEB_SCHEMES | {"mailto", "tel"}
IMAGE_MAGIC = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpeg", b"GIF87a": "gif", b"GIF89a": "gif"}


def check_link(href: str, paper_dir: Path, loc: Loc, diags: Diagnostics) -> bool:
    """True when a link may stay in the output: a web or mail address, or a file of the paper."""
    scheme = urlsplit(href).scheme.lower()
    if scheme in LINK_SCHEMES:
        return True
    if href.startswith("#"):
        diags.error(loc, "link-internal", f"'{href}': refer to a part of the paper with {{ref}}`label` instead")
        return False
    if scheme:
        diags.error(loc, "link-refused", f"'{href}': links may be web (https://) or e-mail (mailto:) addresses, "
                    "or files in the paper's folder")
        return False
    return local_file(href, paper_dir, loc, diags, "link") is not None


def is_local(href: str) -> bool:
    """Whether a link names a file of the paper (no scheme, not a fragment)."""
    return not urlsplit(href).scheme and not href.startswith("#")


def attachment_href(paper: str, name: str) -> str:
    """Where a file of the paper that it links to is published: in a folder beside the paper's
    outputs, named after the paper (so items of a pack never collide), as a relative address."""
    return f"{paper}-files/{quote(name)}"


def pdf_problem(data: bytes) -> tuple[int, str]:
    """(pages, "") for a PDF paperkit can add to a paper's PDF, else (0, what is wrong with it)."""
    import pikepdf  # only papers with PDF appendices need it at reading time

    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            pages = len(pdf.pages)
    except pikepdf.PasswordError:
        return 0, "is protected by a password; save it without one"
    except pikepdf.PdfError:
        return 0, "cannot be read as a PDF; save it again as PDF"
    if not pages:
        return 0, "has no pages"
    if pages > MAX_ATTACHED_PDF_PAGES:
        return 0, f"has {pages:,} pages; at most {MAX_ATTACHED_PDF_PAGES:,} are added to a paper (link to it instead)"
    return pages, ""


def check_image(src: str, paper_dir: Path, loc: Loc, diags: Diagnostics) -> Path | None:
    """The image file inside the paper's folder, or None after saying why it is refused."""
    scheme = urlsplit(src).scheme.lower()
    if scheme:
        kind = "web images are" if scheme in WEB_SCHEMES else f"'{scheme}:' images are"
        diags.error(loc, "image-refused", f"'{src[:80]}': {kind} not used; put the image file "
                    "in the paper's folder and name it here")
        return None
    return local_file(src, paper_dir, loc, diags, "image")


def local_file(target: str, paper_dir: Path, loc: Loc, diags: Diagnostics, what: str) -> Path | None:
    """A relative path naming an existing file that is, after following links, inside the paper."""
    name = unquote(urlsplit(target).path)
    pure = PurePosixPath(name)
    if not name or pure.is_absolute() or name.startswith("\\") or ":" in pure.parts[0]:
        diags.error(loc, "path-outside", f"{what} '{target}': name a file in the paper's folder, "
                    "relative to it (like chart.png), not an absolute path")
        return None
    if ".." in pure.parts:
        diags.error(loc, "path-outside", f"{what} '{target}': '..' would leave the paper's folder")
        return None
    try:
        return confined(paper_dir / Path(*pure.parts), paper_dir.resolve())
    except RefusedFile as err:
        diags.error(loc, err.code, f"{what} '{target}': {err.message}")
        return None


def image_problem(data: bytes) -> str | None:
    """Why a picture cannot be used, or None. Every pixel is decoded once, here, so a picture
    one renderer could not show (damaged, empty, too large) is refused for every output."""
    from PIL import Image as Picture
    from PIL import UnidentifiedImageError

    try:
        with Picture.open(io.BytesIO(data)) as picture:
            width, height = picture.size
            if width * height == 0:
                return "has no pixels"
            if width * height > MAX_IMAGE_PIXELS:
                return f"is {width:,} × {height:,} pixels; pictures may have at most {MAX_IMAGE_PIXELS:,}"
            picture.load()
    except Picture.DecompressionBombError:
        return f"has more pixels than the {MAX_IMAGE_PIXELS:,} a picture may have"
    except UnidentifiedImageError:
        return "is damaged: it cannot be read as a picture; save it again from an image editor"
    except (OSError, SyntaxError, ValueError, EOFError) as err:
        return f"is damaged ({err}); save it again from an image editor"
    return None


def image_kind(data: bytes) -> str | None:
    """png, jpeg or gif, from the file's first bytes; None for anything else."""
    return next((kind for magic, kind in IMAGE_MAGIC.items() if data.startswith(magic)), None)
