"""Build the teaching notebooks from their sources and execute them in a fresh kernel.

The notebooks are committed executed; their sources are ``notebooks/cells/<name>.py``,
each a list ``CELLS`` of markdown and code cells. Run
``python notebooks/build.py [name ...]`` after changing a source (needs the
`notebooks` extra). The tests re-execute the committed notebooks.

The exercise notebooks' sources are ``notebooks/cells/exercises/e<NN>_<topic>.py``. Their
exercise cells are tagged ``exercise:<id>`` and keep the solution between
``### BEGIN SOLUTION`` and ``### END SOLUTION``. They are written, not executed:

* ``python notebooks/build.py --student DIR`` writes the student form into DIR (each
  solution replaced by ``raise NotImplementedError("your code here")``);
* ``python notebooks/build.py --solution DIR`` writes the solution form (for teachers);
* ``python notebooks/build.py --exercises`` rewrites the committed student form,
  ``notebooks/exercises/*.ipynb``.
"""
from __future__ import annotations

import argparse
import importlib
import re
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).parent
SOURCES = HERE / "cells"
EXERCISE_SOURCES = SOURCES / "exercises"
EXERCISES = HERE / "exercises"
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
PLACEHOLDER = 'raise NotImplementedError("your code here")'


def names() -> list[str]:
    """Every notebook that has a source, in order."""
    return sorted(p.stem for p in SOURCES.glob("[0-9]*.py"))


def _cells_in(folder: Path, name: str) -> list:
    """The list ``CELLS`` of the source ``folder/name.py`` (fresh objects on every call)."""
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
    module = importlib.import_module(name)
    return importlib.reload(module).CELLS


def cells(name: str) -> list:
    """The cells of notebook ``name``."""
    return _cells_in(SOURCES, name)


def build(name: str) -> None:
    """Execute notebook ``name`` in a fresh kernel and write it, outputs included."""
    nb = nbformat.v4.new_notebook()
    nb.cells = cells(name)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(HERE)}}).execute()
    nbformat.write(nb, HERE / f"{name}.ipynb")
    print(f"wrote {HERE / name}.ipynb")


def exercise_names() -> list[str]:
    """Every exercise notebook source, in order (``e01_chain_rule``, ...)."""
    return sorted(p.stem for p in EXERCISE_SOURCES.glob("e[0-9]*.py"))


def exercise_cells(name: str) -> list:
    """The cells of exercise notebook ``name``, solutions included."""
    return _cells_in(EXERCISE_SOURCES, name)


def strip_solutions(source: str) -> str:
    """``source`` with each BEGIN/END SOLUTION block replaced by the placeholder,
    indented like the BEGIN line.  Unbalanced markers are an error."""
    lines, inside = [], False
    for number, line in enumerate(source.splitlines(), 1):
        marker = line.strip()
        if marker == BEGIN:
            if inside:
                raise ValueError(f"line {number}: {BEGIN} inside a solution")
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            lines += [f"{indent}# YOUR CODE HERE", f"{indent}{PLACEHOLDER}"]
        elif marker == END:
            if not inside:
                raise ValueError(f"line {number}: {END} without {BEGIN}")
            inside = False
        elif not inside:
            lines.append(line)
    if inside:
        raise ValueError(f"{BEGIN} without {END}")
    return "\n".join(lines)


def exercise_notebook(name: str, student: bool) -> "nbformat.NotebookNode":
    """Exercise notebook ``name``: the student form (solutions replaced) or the solution form."""
    nb = nbformat.v4.new_notebook()
    nb.cells = exercise_cells(name)
    for number, cell in enumerate(nb.cells):
        cell.id = f"{name}-{number}"  # stable ids: rebuilding changes nothing
        if student and cell.cell_type == "code":
            cell.source = strip_solutions(cell.source)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["chainrule"] = {"exercises": exercise_ids(nb)}
    return nb


def exercise_ids(nb) -> list[str]:
    """The ids of the cells tagged ``exercise:<id>``, in order."""
    return [tag.split(":", 1)[1] for cell in nb.cells
            for tag in cell.get("metadata", {}).get("tags", []) if tag.startswith("exercise:")]


def notebook_file(name: str) -> str:
    """``e01_chain_rule`` -> ``01_chain_rule.ipynb``."""
    return re.sub(r"^e", "", name) + ".ipynb"


def write_exercises(directory: Path, student: bool) -> list[Path]:
    """Write every exercise notebook, in one form, into ``directory`` (created if missing)."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name in exercise_names():
        path = directory / notebook_file(name)
        nbformat.write(exercise_notebook(name, student), path)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """The command line (see the module docstring)."""
    parser = argparse.ArgumentParser(description="Build the teaching and exercise notebooks.")
    parser.add_argument("names", nargs="*", help="teaching notebooks to build (default: all)")
    parser.add_argument("--student", type=Path, metavar="DIR", help="write the exercises' student form into DIR")
    parser.add_argument("--solution", type=Path, metavar="DIR", help="write the exercises' solution form into DIR")
    parser.add_argument("--exercises", action="store_true", help="rewrite notebooks/exercises (student form)")
    args = parser.parse_args(argv)
    if args.student or args.solution or args.exercises:
        for directory, student in [(args.student, True), (args.solution, False),
                                   (EXERCISES if args.exercises else None, True)]:
            if directory is not None:
                for path in write_exercises(directory, student):
                    print(f"wrote {path}")
        return 0
    unknown = [n for n in args.names if n not in names()]
    if unknown:
        print(f"no notebook source named {', '.join(unknown)}; known: {', '.join(names())}", file=sys.stderr)
        return 2
    for name in args.names or names():
        build(name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
