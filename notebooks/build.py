"""Build the teaching notebooks from their sources and execute them in a fresh kernel.

The notebooks are committed executed; their sources are ``notebooks/cells/<name>.py``,
each a list ``CELLS`` of markdown and code cells. Run
``python notebooks/build.py [name ...]`` after changing a source (needs the
`notebooks` extra). The tests re-execute the committed notebooks.
"""
from __future__ import annotations

import importlib
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).parent
SOURCES = HERE / "cells"


def names() -> list[str]:
    """Every notebook that has a source, in order."""
    return sorted(p.stem for p in SOURCES.glob("[0-9]*.py"))


def cells(name: str) -> list:
    """The cells of notebook ``name`` (fresh objects on every call)."""
    if str(SOURCES) not in sys.path:
        sys.path.insert(0, str(SOURCES))
    module = importlib.import_module(name)
    return importlib.reload(module).CELLS


def build(name: str) -> None:
    """Execute notebook ``name`` in a fresh kernel and write it, outputs included."""
    nb = nbformat.v4.new_notebook()
    nb.cells = cells(name)
    # ipykernel's own display name: with any other, JupyterLab rewrites it on open and
    # marks the notebook modified before anything runs
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(HERE)}}).execute()
    nbformat.write(nb, HERE / f"{name}.ipynb")
    print(f"wrote {HERE / name}.ipynb")


if __name__ == "__main__":
    unknown = [n for n in sys.argv[1:] if n not in names()]
    if unknown:
        sys.exit(f"no notebook source named {', '.join(unknown)}; known: {', '.join(names())}")
    for name in sys.argv[1:] or names():
        build(name)
