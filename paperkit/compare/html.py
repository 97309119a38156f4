"""The changes as a web page, for a committee's "changes since publication" note.

Made from the marked document (docx_diff.py) of the two public readings, so it can hold nothing
exempt. Only the paragraphs that changed are shown, each with its number and its section, the
inserted words in <ins> and the deleted in <del>: underlined and struck through (not colour
alone), and named in words for screen readers, which do not all announce the two elements.
"""

from __future__ import annotations

from html import escape

from lxml import etree

from ..style import HouseStyle
from .docx_diff import W

STYLE = """
body { font-family: Arial, "Liberation Sans", sans-serif; line-height: 1.5; max-width: 46rem; margin: 2rem auto;
       padding: 0 1rem; color: #0b0c0c; }
ins { text-decoration: underline; text-decoration-thickness: 2px; background: #e8f4e8; }
del { text-decoration: line-through; background: #fbeaea; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%);
                   white-space: nowrap; }
.number { font-weight: bold; margin-right: 0.5rem; }
"""


def changes_page(document: etree._Element, style: HouseStyle, title: str, meeting_line: str) -> str:
    """The page: a heading, a key, and each changed paragraph under its section's heading."""
    words = style.words
    heading = words["changes_title"].format(title=title)
    out = ["<!DOCTYPE html>", '<html lang="en-GB">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">', f"<title>{escape(heading)}</title>",
           f"<style>{STYLE}</style>", "</head>", "<body>", "<main>", f"<h1>{escape(heading)}</h1>",
           f"<p>{escape(meeting_line)}</p>",
           f"<p>{escape(words['changes_key'])} <ins>{escape(words['changes_inserted_example'])}</ins>, "
           f"<del>{escape(words['changes_deleted_example'])}</del>.</p>"]
    section, shown, written = "", "", 0
    for paragraph in document.iter(W + "p"):
        style_id = paragraph.find(f"{W}pPr/{W}pStyle")
        if style_id is not None and str(style_id.get(W + "val", "")).lower().startswith("heading1"):
            section = "".join(" " if t.tag == W + "tab" else t.text or "" for t in paragraph.iter(
                W + "t", W + "tab"))
            continue
        if next(paragraph.iter(W + "ins", W + "del"), None) is None:
            continue
        if section != shown:
            out.append(f"<h2>{escape(section)}</h2>")
            shown = section
        out.append(f"<p>{_paragraph(paragraph, words)}</p>")
        written += 1
    if not written:
        out.append(f"<p>{escape(words['changes_none'])}</p>")
    out += ["</main>", "</body>", "</html>", ""]
    return "\n".join(out)


def _paragraph(paragraph: etree._Element, words: dict[str, str]) -> str:
    pieces: list[tuple[str, str]] = []  # (ins | del | "", text)
    for node in paragraph.iter(W + "t", W + "delText", W + "tab"):
        text = "\t" if node.tag == W + "tab" else node.text or ""
        kind = "del" if any(a.tag == W + "del" for a in node.iterancestors()) else \
            "ins" if any(a.tag == W + "ins" for a in node.iterancestors()) else ""
        pieces.append((kind, text))
    html: list[str] = []
    number, _tab, _rest = "".join(t for k, t in pieces if k != "del").partition("\t")
    current, buffer = "", ""
    started = not _tab  # a numbered paragraph: its number first, apart
    if _tab:
        html.append(f'<span class="number">{escape(number)}</span>')
    for kind, text in pieces:
        if not started:
            if text == "\t":
                started = True
            continue
        if kind != current and buffer:
            html.append(_wrapped(current, buffer, words))
            buffer = ""
        current = kind
        buffer += text
    if buffer:
        html.append(_wrapped(current, buffer, words))
    return "".join(html)


def _wrapped(kind: str, text: str, words: dict[str, str]) -> str:
    if not kind:
        return escape(text)
    said = words["changes_inserted"] if kind == "ins" else words["changes_deleted"]
    return (f'<{kind}><span class="visually-hidden">[{escape(said)}: </span>{escape(text)}'
            f'<span class="visually-hidden">]</span></{kind}>')
