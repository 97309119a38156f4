"""Check what the sdist and wheel hold: what a rebuild and an install need, and nothing else.

Usage: python scripts/check_dist.py dist/   (after `python -m build --outdir dist`)
Exits 1 naming each missing or unwanted file.
"""

from __future__ import annotations

import sys
import tarfile
import zipfile
from fnmatch import fnmatch
from pathlib import Path

STYLE = "templates/walsall/cabinet"
# In the wheel, under paperkit/; in the sdist, under paperkit-VERSION/ as in the repository.
WHEEL_NEEDS = [
    "paperkit/cli.py", "paperkit/schemas/paper.yaml", "paperkit/schemas/meeting.yaml", "paperkit/schemas/style.yaml",
    f"paperkit/{STYLE}/style.yaml", f"paperkit/{STYLE}/cabinet.docx", f"paperkit/{STYLE}/report.html.j2",
    f"paperkit/{STYLE}/fonts/LiberationSans-Regular.ttf", f"paperkit/{STYLE}/fonts/Liberation-LICENSE.txt",
    f"paperkit/{STYLE}/fonts/DejaVu-LICENSE.txt", "paperkit/templates/walsall/scrutiny/style.yaml",
    "paperkit/templates/example-borough/committee/committee.docx", "*.dist-info/licenses/LICENSE",
]
SDIST_NEEDS = [
    "pyproject.toml", "LICENSE", "README.md", "paperkit/cli.py", "paperkit/schemas/paper.yaml",
    f"{STYLE}/style.yaml", f"{STYLE}/cabinet.docx", f"{STYLE}/fonts/LiberationSans-Regular.ttf",
    f"{STYLE}/fonts/Liberation-LICENSE.txt", f"{STYLE}/fonts/DejaVu-LICENSE.txt",
]
NEVER = ["tests/*", "*/tests/*", "build/*", "content/*", "*__pycache__*", "*.pyc", "*/.cache/*", ".venv/*",
         "*.egg-info/*"]


def problems(names: list[str], needs: list[str], never: list[str], what: str) -> list[str]:
    found = [f"{what}: missing {need}" for need in needs if not any(fnmatch(n, need) for n in names)]
    found += [f"{what}: should not hold {n}" for n in names if any(fnmatch(n, pattern) for pattern in never)]
    return found


def main(dist: Path) -> int:
    wheels, sdists = sorted(dist.glob("paperkit-*.whl")), sorted(dist.glob("paperkit-*.tar.gz"))
    if len(wheels) != 1 or len(sdists) != 1:
        print(f"check_dist: expected one wheel and one sdist in {dist}, found {wheels + sdists}")
        return 1
    with zipfile.ZipFile(wheels[0]) as wheel:
        wheel_names = wheel.namelist()
    with tarfile.open(sdists[0]) as sdist:
        # Drop the paperkit-VERSION/ folder every member is in.
        sdist_names = [name.split("/", 1)[1] for name in sdist.getnames() if "/" in name]
    # The sdist keeps setuptools' own record of its files (PKG-INFO, paperkit.egg-info/): allowed there.
    found = problems(wheel_names, WHEEL_NEEDS, NEVER, wheels[0].name)
    found += problems(sdist_names, SDIST_NEEDS, [p for p in NEVER if p != "*.egg-info/*"], sdists[0].name)
    for problem in found:
        print(f"check_dist: {problem}")
    if not found:
        print(f"check_dist: {wheels[0].name} ({len(wheel_names)} files) and {sdists[0].name} "
              f"({len(sdist_names)} files) hold what they should")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "dist")))
