"""Time building the sample paper, per format, in fresh processes; prints medians.

Usage: .venv/bin/python benchmarks/build_sample.py [--runs N]
Machines here are shared and noisy: compare medians and ratios, not single runs.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = {
    "help": ["--help"],
    "docx": ["build", "cabinet-2018-06", "--format", "docx"],
    "pdf": ["build", "cabinet-2018-06", "--format", "pdf"],
    "all": ["build", "cabinet-2018-06"],
}


def time_once(args: list[str], out: str) -> float:
    extra = ["--out", out] if args[0] == "build" else []
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "paperkit", *args, *extra], cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    medians = {}
    with tempfile.TemporaryDirectory() as out:
        for name, args in CASES.items():
            times = [time_once(args, out) for _ in range(runs)]
            medians[name] = statistics.median(times)
            print(f"{name:5} median {medians[name]:.3f} s  (min {min(times):.3f}, max {max(times):.3f}, {runs} runs)")
    print(f"pdf/docx ratio {medians['pdf'] / medians['docx']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
