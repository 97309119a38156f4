"""Names of papers and meetings: each is one safe folder or file name, nothing more.

A name becomes a path under content/ and under --out; one that held a separator, started
with a dot ("..", ".git") or ran past what file systems allow could read or write elsewhere.
"""

from __future__ import annotations

import re

MAX_NAME = 100
SAFE_NAME = re.compile(rf"^[A-Za-z0-9][A-Za-z0-9._-]{{0,{MAX_NAME - 1}}}$")
RULE = f"letters, digits, '.', '_' and '-', starting with a letter or digit, at most {MAX_NAME} characters"


def is_safe_name(name: str) -> bool:
    return bool(SAFE_NAME.match(name))
