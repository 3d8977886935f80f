"""How long ``chainrule grade`` takes on a class of 30 generated submissions.

The class: the nine exercise notebooks in turn, each submission right (the solution
form), wrong (one deliberate mistake), blank (the student form), crashing (a cell
raises) or looping (a cell or the student's function never ends). Grading runs
with the default limits (120 s per notebook's cells, each exercise's own check
limit) and as many notebooks at once as there are CPUs.

    python benchmarks/grade.py [--keep DIR]

prints the wall-clock time and the target (under 5 minutes), and the CSV's tally.
"""
from __future__ import annotations

import argparse
import collections
import csv
import importlib.util
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 300

MISTAKES = {  # one deliberate mistake per notebook: (replace this, with this)
    "01_chain_rule": ("dfdz = q", "dfdz = z"),
    "02_gate_patterns": ("dx = dp * y + 1.0", "dx = dp * y"),
    "03_flat_code": ("grad_w1 = grad_s1 * x1", "grad_w1 = grad_s1 * w1"),
    "04_your_own_op": ("g * K.sigmoid(x)", "g * K.exp(x)"),
    "05_relu_vector": ("x > 0", "x >= 0"),
    "06_matmul": ("dW = X.T @ G", "dW = X.T @ G * 1.5"),
    "07_batched_layer": ("db = G.sum(axis=0)", "db = G.mean(axis=0)"),
    "08_svm": ("+ 2 * reg * W", "+ reg * W"),
    "09_sgd": ("steps=3000", "steps=5"),
}

KINDS = ["right", "wrong", "right", "blank", "right", "crash", "wrong", "right", "right", "loop_in_function"] * 3
KINDS[13] = "loop_in_cell"
KINDS[27] = "loop_in_cell"


def _build():
    spec = importlib.util.spec_from_file_location("notebook_build", ROOT / "notebooks" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make_class(folder: Path) -> list[Path]:
    """Write the 30 submissions into ``folder``."""
    build = _build()
    solutions = {p.stem: p for p in build.write_exercises(folder / "solutions", student=False)}
    blanks = {p.stem: p for p in build.write_exercises(folder / "blank", student=True)}
    names = sorted(solutions)
    files = []
    for k, kind in enumerate(KINDS):
        name = names[k % len(names)] if kind != "loop_in_function" else "06_matmul"
        nb = nbformat.read(blanks[name] if kind == "blank" else solutions[name], as_version=4)
        exercise = next(c for c in nb.cells if any(t.startswith("exercise:") for t in c.metadata.get("tags", [])))
        if kind == "wrong":
            old, new = MISTAKES[name]
            exercise.source = exercise.source.replace(old, new)
        elif kind == "crash":
            nb.cells.insert(2, nbformat.v4.new_code_cell("undefined_name + 1"))
        elif kind == "loop_in_cell":
            nb.cells.insert(2, nbformat.v4.new_code_cell("while True:\n    pass"))
        elif kind == "loop_in_function":
            exercise.source = exercise.source.replace("dX = G @ W.T", "while True:\n        pass")
        path = folder / "class" / f"student{k + 1:02d}_{kind}_{name}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, path)
        files.append(path)
    return files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="write the class, grades and feedback here (else a temporary folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        files = make_class(folder)
        out = folder / "grades.csv"
        start = time.perf_counter()
        status = subprocess.run([sys.executable, "-m", "nn.grade", *map(str, files), "--out", str(out),
                                 "--feedback", str(folder / "feedback")], cwd=ROOT).returncode
        seconds = time.perf_counter() - start
        with open(out, newline="") as f:
            rows = list(csv.DictReader(f))
    tally = collections.Counter(r["status"] for r in rows)
    full = sum(r["total"] == r["max_total"] and r["max_total"] != "0" for r in rows)
    print(f"kinds: {dict(collections.Counter(KINDS))}")
    print(f"statuses: {dict(tally)}; full marks: {full} (right: {KINDS.count('right')})")
    print(f"chainrule grade on {len(files)} submissions: {seconds:.1f} s "
          f"(target < {TARGET_SECONDS} s: {'met' if seconds < TARGET_SECONDS else 'NOT met'}), exit status {status}")
    return 0 if status == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
