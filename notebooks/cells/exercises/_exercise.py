"""The cells an exercise notebook source is made of: markdown, code, and exercise cells.

An exercise cell carries the tag ``exercise:<id>`` and keeps its solution between
``### BEGIN SOLUTION`` and ``### END SOLUTION``; ``notebooks/build.py --student DIR``
replaces that part with ``raise NotImplementedError("your code here")``.
"""
from __future__ import annotations

import nbformat


def md(text: str) -> nbformat.NotebookNode:
    """A markdown cell."""
    return nbformat.v4.new_markdown_cell(text.strip())


def code(text: str) -> nbformat.NotebookNode:
    """A code cell."""
    return nbformat.v4.new_code_cell(text.strip())


def exercise(exercise_id: str, text: str) -> nbformat.NotebookNode:
    """A code cell for exercise ``exercise_id`` (tagged ``exercise:<id>``), its solution
    between the BEGIN/END SOLUTION lines."""
    cell = code(text)
    cell.metadata["tags"] = [f"exercise:{exercise_id}"]
    return cell


SETUP = """
import math
import numpy as np
import autograd
from autograd import Tensor, Value, draw_graph
from nn.course import check
"""
