"""Reading drawings in tests: the nodes and edges of a DOT source, the text of an HTML-like
label, the texts of a rendered SVG; and a Python that finds no layout program."""
from __future__ import annotations

import os
import re
import shutil
import sys
import xml.etree.ElementTree as ET
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

from autograd import Value
from autograd.drawing.render import layout_program

needs_program = pytest.mark.skipif(
    layout_program() is None, reason="no layout program (Graphviz dot or graphviz-pure) installed"
)
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot not installed")
SVG = "{http://www.w3.org/2000/svg}"


@contextmanager
def no_layout_program() -> Iterator[None]:
    """Inside: PATH holds neither dot nor graphviz-pure, and nothing lies beside the
    Python executable, so no layout program is found."""
    nowhere = Path(__file__).parent / "no-such-folder"
    saved = os.environ["PATH"], sys.executable
    os.environ["PATH"], sys.executable = str(nowhere), str(nowhere / "python")
    try:
        yield
    finally:
        os.environ["PATH"], sys.executable = saved

_STATEMENT = re.compile(r"^\s*(\w+) \[(.*)\]\s*$")
_EDGE = re.compile(r"^\s*(\w+) -> (\w+)(?::(\w+)(?::\w+)?)?(?: \[(.*)\])?\s*$")


@dataclass
class DotNode:
    """One node statement: its id, its label (an XML element for HTML-like labels,
    else the text) and its other attributes (as written)."""

    id: str
    label: ET.Element | str
    attrs: str

    def rows(self) -> list[str]:
        """The text of each table row of the label, cells joined by spaces."""
        if isinstance(self.label, str):
            return [self.label]
        return [" ".join(_words(td) for td in tr.findall("TD")).strip()
                for tr in self.label.findall("TR")]

    def text(self) -> str:
        if isinstance(self.label, str):
            return self.label
        return _words(self.label)

    def ports(self) -> dict[str, str]:
        """Port name -> the text in that cell."""
        if isinstance(self.label, str):
            return {}
        return {td.get("PORT"): _words(td) for td in self.label.iter("TD") if td.get("PORT")}


def _words(element: ET.Element) -> str:
    """The text of an element, whitespace (figure spaces included) collapsed."""
    return " ".join(" ".join(element.itertext()).replace("\u2007", " ").split())


@dataclass
class DotEdge:
    tail: str
    head: str
    port: str | None
    attrs: str


def _split_label(body: str) -> tuple[str, str]:
    """``label=<...> rest`` -> (the HTML between the outer brackets, rest)."""
    assert body.startswith("label=<"), body
    depth, k = 0, len("label=")
    for k in range(len("label="), len(body)):
        depth += {"<": 1, ">": -1}.get(body[k], 0)
        if depth == 0:
            break
    return body[len("label=<"):k], body[k + 1:]


def parse_dot(source: str) -> tuple[dict[str, DotNode], list[DotEdge]]:
    """The node statements (by id) and edges of a drawing's DOT source."""
    nodes, edges = {}, []
    for line in source.splitlines():
        edge = _EDGE.match(line)
        if edge:
            edges.append(DotEdge(edge.group(1), edge.group(2), edge.group(3), edge.group(4) or ""))
            continue
        statement = _STATEMENT.match(line)
        if not statement or statement.group(1) in ("graph", "node", "edge"):
            continue
        node_id, body = statement.groups()
        if body.startswith("label=<"):
            html, rest = _split_label(body)
            label: ET.Element | str = ET.fromstring(html) if html.startswith("<TABLE") else \
                " ".join(ET.fromstring(f"<L>{html}</L>").itertext())
        else:
            match = re.match(r'label="((?:[^"\\]|\\.)*)"(.*)', body)
            label, rest = (match.group(1), match.group(2)) if match else ("", body)
        nodes[node_id] = DotNode(node_id, label, rest)
    return nodes, edges


def value_rows(source: str) -> dict[str, list[str]]:
    """Title of each value box -> its rows (``['x', 'data -2', 'grad -4']``)."""
    nodes, _ = parse_dot(source)
    found = {}
    for node in nodes.values():
        if isinstance(node.label, ET.Element) and not node.ports() and not node.id.endswith("op"):
            rows = node.rows()
            found[rows[0]] = rows
    return found


def node_by_title(source: str, title: str) -> DotNode:
    nodes, _ = parse_dot(source)
    (node,) = [n for n in nodes.values() if isinstance(n.label, ET.Element) and n.rows()[0] == title]
    return node


def op_node(source: str, symbol: str) -> DotNode:
    """The only operation node whose label contains ``symbol`` as a whole word."""
    nodes, _ = parse_dot(source)
    found = [n for n in nodes.values() if n.id.endswith("op") and symbol in n.text().split()]
    assert len(found) == 1, [n.text() for n in found]
    return found[0]


def svg_texts(svg: str) -> list[str]:
    return [(t.text or "").strip("\u2007 ") for t in ET.fromstring(svg).iter(f"{SVG}text")]


def seeds_graph() -> tuple[Value, Value, Value, Value, Value]:
    """The seeds' worked example 1: f = (x + y) z at x=-2, y=5, z=-4."""
    x, y, z = Value(-2.0, label="x"), Value(5.0, label="y"), Value(-4.0, label="z")
    q = x + y
    q.label = "q"
    f = q * z
    f.label = "f"
    return x, y, z, q, f
