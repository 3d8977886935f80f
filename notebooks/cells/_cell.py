"""The two kinds of cell a notebook source is made of."""
from __future__ import annotations

import nbformat


def md(text: str) -> nbformat.NotebookNode:
    """A markdown cell."""
    return nbformat.v4.new_markdown_cell(text.strip())


def code(text: str) -> nbformat.NotebookNode:
    """A code cell."""
    return nbformat.v4.new_code_cell(text.strip())
