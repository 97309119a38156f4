"""A large agenda pack: time and peak memory, against building its papers one by one.

Usage: .venv/bin/python benchmarks/big_pack.py [--papers 20] [--pages 45] [--runs 3]

Generates a project of PAPERS copies of the sample paper, each made about PAGES pages long by
paragraphs added to its report detail, and a meeting with every one of them on its agenda. Then,
alternately, in fresh processes as a user runs them:
- pack:   `paperkit pack` of that meeting, cold (its render cache emptied first);
- papers: `paperkit build PAPER --format pdf,html` for each paper, one after another (what the
          pack renders of each), summed.
Prints medians, the pack's pages, the pack against (papers' sum / cores) (target at most 1.1),
and peak memory: the resident memory of its largest single process in each timed run (target at
most 300 MB), and, in a run of its own sampled every 50 ms, of the whole pack process tree at once
(proportional set size: pages shared by forked workers counted once).

Machines here are shared and noisy: compare medians and ratios, not single runs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE = "cabinet-2018-06"
MEETING = "big-pack"
SENTENCES = [
    "The service has reviewed the caseloads of every team against the standard agreed with the Board.",
    "Recruitment of permanent social workers remains the service's first priority for the coming year.",
    "Managers meet each month to review the quality of supervision and the timeliness of assessments.",
    "The working group asked for a further report on the use of agency staff and its cost.",
    "Feedback from families has been gathered through the annual survey and a series of focus groups.",
    "The action plan sets out who is responsible for each recommendation and when it will be complete.",
]


def paragraph(n: int) -> str:
    words = " ".join(SENTENCES[(n + k) % len(SENTENCES)] for k in range(4))
    return f"- Paragraph {n} of the generated detail. {words}\n"


def make_paper(content: Path, name: str, number: int, extra: int) -> None:
    folder = content / name
    shutil.copytree(ROOT / "content" / BASE, folder)
    meta = folder / "paper.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace(
        "title: Ofsted Working Group", f"title: Generated paper {number}", 1), encoding="utf-8")
    detail = folder / "report-detail.md"
    added = "\n".join(paragraph(n) for n in range(extra))
    detail.write_text(detail.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + added, encoding="utf-8")


def env() -> dict[str, str]:
    return {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def run(project: Path, *args: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "paperkit", *args], cwd=project, env=env(), check=True,
                   capture_output=True)
    return time.perf_counter() - start


def pages_of(pdf: Path) -> int:
    import pikepdf

    with pikepdf.open(pdf) as document:
        return len(document.pages)


def calibrate(project: Path, pages: int) -> int:
    """How many generated paragraphs make the sample paper about `pages` pages long."""
    probe = "probe-paper"
    make_paper(project / "content", probe, 0, 60)
    run(project, "build", probe, "--format", "pdf")
    with_60 = pages_of(project / "build" / probe / f"{probe}.pdf")
    shutil.rmtree(project / "content" / probe)
    shutil.rmtree(project / "build" / probe)
    base = 5  # the sample's own pages
    return max(1, round(60 * (pages - base) / max(1, with_60 - base)))


def tree_memory(root_pid: int) -> tuple[int, int]:
    """(proportional set size, summed; largest resident set size) in kB of a process and its
    descendants, from /proc. PSS counts the pages worker processes share with the process they
    were forked from once, where summing their RSS would count them in each."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                parent = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    total, largest, todo = 0, 0, [root_pid]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        sizes = {line.split(":")[0]: int(line.split()[1]) for line in rollup.splitlines()[1:] if line.endswith("kB")}
        total += sizes.get("Pss", 0)
        largest = max(largest, sizes.get("Rss", 0))
    return total, largest


def pack_once(project: Path) -> tuple[float, int]:
    """(seconds, largest resident kB of any one of its processes) of one cold pack, timed alone:
    nothing samples memory meanwhile (reading /proc every few milliseconds takes CPU the pack's
    two render processes need on a two-core machine)."""
    shutil.rmtree(project / ".paperkit-cache", ignore_errors=True)
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "paperkit", "pack", MEETING], cwd=project, env=env(),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # wait4's usage covers the pack and the render processes it waited for: ru_maxrss is the
    # largest of them (Linux).
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"paperkit pack failed with status {process.returncode}")
    return elapsed, usage.ru_maxrss


def pack_memory(project: Path) -> int:
    """Peak proportional set size (kB) of the whole pack process tree, sampled every 50 ms
    during a cold pack run for this alone (its time is not counted)."""
    shutil.rmtree(project / ".paperkit-cache", ignore_errors=True)
    process = subprocess.Popen([sys.executable, "-m", "paperkit", "pack", MEETING], cwd=project, env=env(),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while process.poll() is None:
        peak = max(peak, tree_memory(process.pid)[0])
        time.sleep(0.05)
    return peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=20)
    parser.add_argument("--pages", type=int, default=45)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "paperkit")], check=True)
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as scratch:
        project = Path(scratch)
        (project / "content" / "meetings").mkdir(parents=True)
        extra = calibrate(project, options.pages)
        names = [f"paper-{n:02d}" for n in range(1, options.papers + 1)]
        for number, name in enumerate(names, 1):
            make_paper(project / "content", name, number, extra)
        items = "\n".join(f"  - paper: {name}" for name in names)
        (project / "content" / "meetings" / f"{MEETING}.yaml").write_text(
            "template: walsall/cabinet\ncommittee: Cabinet\ndate: 2018-06-21\ntime: 6.00 pm\n"
            f"venue: Council Chamber\nitems:\n{items}\n", encoding="utf-8")
        packs, largest, papers = [], [], []
        for _ in range(options.runs):
            seconds, one_kb = pack_once(project)
            packs.append(seconds)
            largest.append(one_kb)
            papers.append(sum(run(project, "build", name, "--format", "pdf,html") for name in names))
        tree = pack_memory(project)
        total_pages = pages_of(project / "build" / MEETING / f"{MEETING}-public-pack.pdf")
        paper_pages = pages_of(project / "build" / names[0] / f"{names[0]}.pdf")
    pack, one_by_one = statistics.median(packs), statistics.median(papers)
    print(f"{options.papers} papers of {paper_pages} pages ({extra} paragraphs added each); pack {total_pages} pages")
    print(f"pack, cold         median {pack:6.2f} s  (min {min(packs):.2f}, max {max(packs):.2f}, {options.runs} runs)")
    print(f"papers one by one  median {one_by_one:6.2f} s  (sum of {options.papers} builds, pdf and html)")
    print(f"pack / (papers' sum / {cores} cores): {pack / (one_by_one / cores):.2f}  (target at most 1.1)")
    print(f"peak memory, whole pack process tree (PSS, a run of its own): {tree / 1024:.0f} MB")
    print(f"peak memory, largest single process (RSS):  median {statistics.median(largest) / 1024:.0f} MB "
          f"(max {max(largest) / 1024:.0f})  (target at most 300 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
