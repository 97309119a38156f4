"""Time the sample meeting's agenda pack, cold and warm, against building its papers one by one.

Usage: .venv/bin/python benchmarks/pack.py [--runs N]
Each timing is a fresh `paperkit` process, as a user runs it. Prints medians and the ratios
the agenda-pack issue asks for: warm / cold (at most 0.2) and cold pack / papers one after
another (below 1). Machines here are shared and noisy: compare medians and ratios.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEETING = "cabinet-2018-06-21"
PUBLIC_PAPERS = ("cabinet-2018-06", "budget-monitoring-2018-19", "school-places-2018")


def paperkit(project: Path, *args: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "paperkit", *args], cwd=project, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    cold, warm, sequential, single = [], [], [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            # A project of its own: the pack caches renders beside its content folder.
            project = Path(tmp)
            shutil.copytree(ROOT / "content", project / "content")
            cold.append(paperkit(project, "pack", MEETING))
            warm.append(paperkit(project, "pack", MEETING))
            sequential.append(sum(paperkit(project, "build", p, "--format", "pdf,html") for p in PUBLIC_PAPERS))
            single.append(paperkit(project, "build", "cabinet-2018-06"))
    rows = [("pack, cold", cold), ("pack, warm (cached)", warm),
            ("3 papers built one after another (pdf, html)", sequential), ("one paper, all formats", single)]
    for name, times in rows:
        print(f"{name:46} median {statistics.median(times):6.2f} s  (min {min(times):.2f}, max {max(times):.2f})")
    ratio_warm = statistics.median(warm) / statistics.median(cold)
    ratio_cold = statistics.median(cold) / statistics.median(sequential)
    print(f"warm / cold pack: {ratio_warm:.2f} (target at most 0.20)")
    print(f"cold pack / papers one after another: {ratio_cold:.2f} (target below 1)")
    print(f"{runs} runs each; machine has {__import__('os').cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
