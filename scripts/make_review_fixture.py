"""Make tests/data/review/cabinet-2018-06-reviewed.docx: the sample's sign-off DOCX as a
reviewer returns it, with real tracked changes made by LibreOffice itself (Edit › Track
Changes › Record, driven through its UNO API), not by hand-written XML, and a comment.

Run once, with the system Python that has LibreOffice's UNO bridge (Debian: python3-uno), then
add the comment with python-docx's comment API (LibreOffice 7.4 crashed saving a comment made
through UNO in headless mode):

    make sample   # or: paperkit build cabinet-2018-06 --format docx
    /usr/bin/python3 scripts/make_review_fixture.py build/cabinet-2018-06/cabinet-2018-06.docx \\
        tests/data/review/cabinet-2018-06-reviewed.docx
    .venv/bin/python scripts/make_review_fixture.py --comment tests/data/review/cabinet-2018-06-reviewed.docx

The review, by "Legal Reviewer":
- in 3.1, the words " (thresholds)" inserted after "Ofsted recommendation one";
- in 3.2, the words "to be provided " deleted;
- a new paragraph inserted between 3.2's text and 3.3, in the numbered style;
- a comment on 3.4: "Please check the date with the Trust."
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AUTHOR = "Legal Reviewer"
COMMENT = "Please check the date with the Trust."


def add_comment(path: Path) -> None:
    """The reviewer's comment on 3.4's opening words, through python-docx's comment API."""
    import docx

    document = docx.Document(str(path))
    paragraph = next(p for p in document.paragraphs if "Walsall Healthcare NHS Trust be requested" in p.text)
    runs = [r for r in paragraph.runs if r.text.strip()][1:2]  # the words after the number and its tab
    document.add_comment(runs, text=COMMENT, author=AUTHOR, initials="LR")
    document.save(str(path))


def prop(name: str, value: object) -> object:
    from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect(profile: Path) -> object:
    import uno  # type: ignore[import-not-found]

    port = 2083
    subprocess.Popen(["soffice", "--headless", "--invisible", "--norestore",
                      f"-env:UserInstallation={profile.as_uri()}",
                      f"--accept=socket,host=127.0.0.1,port={port};urp;"],
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(60):
        try:
            return resolver.resolve(f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext")
        except Exception:
            time.sleep(0.5)
    raise SystemExit("LibreOffice did not start")


def set_author(context: object) -> None:
    """Tracked changes and comments are signed with the user's name, as in Tools › Options."""
    provider = context.ServiceManager.createInstanceWithContext(  # type: ignore[attr-defined]
        "com.sun.star.configuration.ConfigurationProvider", context)
    access = provider.createInstanceWithArguments(
        "com.sun.star.configuration.ConfigurationUpdateAccess", (prop("nodepath", "/org.openoffice.UserProfile/Data"),))
    access.setPropertyValue("givenname", "Legal")
    access.setPropertyValue("sn", "Reviewer")
    access.commitChanges()


def paragraph_starting(doc: object, start: str) -> object:
    enum = doc.Text.createEnumeration()  # type: ignore[attr-defined]
    while enum.hasMoreElements():
        paragraph = enum.nextElement()
        if paragraph.supportsService("com.sun.star.text.Paragraph") and paragraph.getString().startswith(start):
            return paragraph
    raise SystemExit(f"no paragraph starting {start!r}")


def find(doc: object, text: str) -> object:
    search = doc.createSearchDescriptor()  # type: ignore[attr-defined]
    search.SearchString = text
    found = doc.findFirst(search)  # type: ignore[attr-defined]
    if found is None:
        raise SystemExit(f"no text {text!r}")
    return found


def review(doc: object) -> None:
    doc.RecordChanges = True  # type: ignore[attr-defined]
    text = doc.Text  # type: ignore[attr-defined]
    # 3.1: insert words.
    applied = find(doc, "Ofsted recommendation one")
    text.insertString(applied.getEnd(), " (thresholds)", False)
    # 3.2: delete words.
    find(doc, "to be provided ").setString("")
    # A new paragraph after 3.2's continuation, before 3.3, in the numbered style.
    continuation = paragraph_starting(doc, "The new Chair of the LSCB")
    cursor = text.createTextCursorByRange(continuation.getEnd())
    text.insertControlCharacter(cursor, 0, False)  # PARAGRAPH_BREAK
    cursor.ParaStyleName = "Numbered Para 1"
    text.insertString(cursor, "The Working Group will review progress on each recommendation in six months.", False)


def main() -> int:
    if sys.argv[1] == "--comment":
        add_comment(Path(sys.argv[2]))
        print(f"added a comment to {sys.argv[2]}")
        return 0
    source, target = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as profile:
        context = connect(Path(profile))
        set_author(context)
        desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        copy = Path(profile) / source.name  # LibreOffice leaves a lock file beside what it opens
        copy.write_bytes(source.read_bytes())
        doc = None
        for _ in range(20):  # a new profile is still being set up for the first seconds
            doc = desktop.loadComponentFromURL(copy.as_uri(), "_blank", 0, (prop("Hidden", True),))
            if doc is not None:
                break
            time.sleep(1)
        if doc is None:
            raise SystemExit(f"LibreOffice could not open {source}")
        review(doc)
        target.parent.mkdir(parents=True, exist_ok=True)
        doc.storeToURL(target.as_uri(), (prop("FilterName", "MS Word 2007 XML"),))
        doc.close(True)
        with contextlib.suppress(Exception):  # the connection drops as LibreOffice quits
            desktop.terminate()
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
