"""Drawing the graph: records, edge gradients, escaping, big graphs, missing Graphviz."""
from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET

import graphviz
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import (
    GraphDrawing,
    GraphvizNotFoundError,
    Node,
    Value,
    backward_steps,
    draw_graph,
    sum_values,
    topological_order,
)
from autograd.numerics import ARRAY
from autograd.ops import MUL
from autograd.draw_text import escape_record, format_number, summarize

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot not installed")


def seeds_graph() -> tuple[Value, Value, Value, Value, Value]:
    """The seeds' worked example 1: f = (x + y) z at x=-2, y=5, z=-4."""
    x, y, z = Value(-2.0, label="x"), Value(5.0, label="y"), Value(-4.0, label="z")
    q = x + y
    q.label = "q"
    f = q * z
    f.label = "f"
    return x, y, z, q, f


def edge_labels_into(source: str, op_id: str) -> list[str]:
    """The labels of the edges into the node ``op_id``, in source order."""
    return re.findall(rf'-> {op_id} \[label=("[^"]*"|\S+)', source)


def op_id_of(source: str, symbol: str) -> str:
    (node_id,) = re.findall(rf'^\s*(\w+) \[label="?{re.escape(symbol)}"?[\] ]', source, re.M)
    return node_id


def chain(n: int) -> Value:
    v = Value(0.5, label="start")
    for _ in range(n):
        v = v.tanh()
    return v


# -- contents ----------------------------------------------------------------
def test_seeds_graph_source_holds_every_value_and_gradient() -> None:
    *_, f = seeds_graph()
    f.backward()
    source = draw_graph(f).source
    for label, data, grad in [("x", -2, -4), ("y", 5, -4), ("z", -4, 3), ("q", 3, -4), ("f", -12, 1)]:
        assert f'"{{ {label} | data {data} | grad {grad} }}"' in source


def test_seeds_graph_edge_gradients_show_add_distributes_and_mul_swaps() -> None:
    *_, f = seeds_graph()
    f.backward()
    source = draw_graph(f, edge_grads=True).source
    assert edge_labels_into(source, op_id_of(source, "+")) == ["-4", "-4"]
    assert sorted(edge_labels_into(source, op_id_of(source, "*"))) == ["-4", "3"]


def test_without_edge_grads_edges_carry_no_labels() -> None:
    *_, f = seeds_graph()
    f.backward()
    source = draw_graph(f).source
    assert edge_labels_into(source, op_id_of(source, "*")) == []


def test_max_routes_the_gradient_to_the_larger_input() -> None:
    a, b = Value(3.0, label="a"), Value(1.0, label="b")
    m = a.max(b) * 2.0
    m.backward()
    source = draw_graph(m, edge_grads=True).source
    max_id = op_id_of(source, "max")
    a_id = re.search(r'(\w+) \[label="\{ a \|', source).group(1)
    b_id = re.search(r'(\w+) \[label="\{ b \|', source).group(1)
    assert re.search(rf"{a_id} -> {max_id} \[label=2 ", source)
    assert re.search(rf"{b_id} -> {max_id} \[label=0 ", source)


def test_a_value_used_twice_has_two_edges_whose_gradients_add() -> None:
    a = Value(3.0, label="a")
    s = a * a
    s.backward()
    source = draw_graph(s, edge_grads=True).source
    mul_id = op_id_of(source, "*")
    assert edge_labels_into(source, mul_id) == ["3", "3"]
    assert '"{ a | data 3 | grad 6 }"' in source
    a_id = re.search(r'(\w+) \[label="\{ a \|', source).group(1)
    assert source.count(f"{a_id} -> {mul_id}") == 2


def test_constants_are_drawn_differently_and_without_a_grad() -> None:
    x = Value(2.0, label="x")
    y = x * 10
    y.backward()
    source = draw_graph(y).source
    (constant,) = [line for line in source.splitlines() if "data 10" in line]
    assert "dashed" in constant and "grad" not in constant
    (variable,) = [line for line in source.splitlines() if "data 2 " in line]
    assert "dashed" not in variable


def test_node_ids_are_unique_and_stable() -> None:
    *_, f = seeds_graph()
    first, second = draw_graph(f).source, draw_graph(f).source
    assert first == second
    ids = re.findall(r"^\s*(\w+) \[label=", first, re.M)
    assert len(ids) == len(set(ids)) == 5 + 2 + 1  # values, operations, legend


def test_fields_can_be_hidden_and_direction_chosen() -> None:
    *_, f = seeds_graph()
    source = draw_graph(f, rankdir="TB", show_data=False, show_grad=False, legend=False).source
    assert "rankdir=TB" in source
    assert "data" not in source and "grad" not in source and "legend" not in source


def test_returns_a_digraph() -> None:
    *_, f = seeds_graph()
    assert isinstance(draw_graph(f), graphviz.Digraph)


def test_array_data_shows_shape_and_a_summary_not_the_whole_array() -> None:
    node = Value(0.0, label="W")  # any Node whose data is an array draws the same way
    node.data = np.arange(1000.0).reshape(10, 100)
    node.grad = None
    source = draw_graph(node).source
    assert "shape 10×100 float64" in source
    assert "data min 0  mean 499.5  max 999" in source
    assert "grad  }" in source  # no gradient yet: blank
    assert len(source) < 2000


# -- formatting and escaping ----------------------------------------------------
@pytest.mark.parametrize(
    "x, text",
    [(-4.0, "-4"), (0.7310585786, "0.7311"), (1234567.0, "1.235e+06"), (7, "7"),
     (float("nan"), "nan"), (float("-inf"), "-inf"), (np.float32(0.5), "0.5")],
)
def test_format_number_is_compact(x: float, text: str) -> None:
    assert format_number(x) == text


def test_small_arrays_are_listed_and_none_is_blank() -> None:
    assert summarize(np.array([1.0, -2.5])) == "[1, -2.5]"
    assert summarize(np.array(3.0)) == "3"
    assert summarize(np.zeros((0, 3))) == "empty"
    assert summarize(None) == ""


def test_escape_record_backslashes_every_special_character() -> None:
    assert escape_record('a"b{c}d|e<f>g\\h') == 'a\\"b\\{c\\}d\\|e\\<f\\>g\\\\h'
    assert escape_record("two\nlines") == "two\\nlines"


NASTY_LABELS = ['say "hi"', "{braces}", "<angle>", "a|b", "back\\slash", "end\\", "<b>html</b>", "x\ny"]


@needs_dot
@pytest.mark.parametrize("label", NASTY_LABELS)
def test_labels_with_special_characters_render_to_valid_svg(label: str) -> None:
    x = Value(1.0, label=label)
    y = x * 2
    y.label = label
    svg = draw_graph(y, edge_grads=True).pipe(format="svg", encoding="utf-8")
    ET.fromstring(svg)  # valid XML
    shown = label.replace("\n", "")
    texts = "".join(t.text or "" for t in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text"))
    assert shown in texts


@needs_dot
@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=12))
def test_any_printable_label_renders_verbatim(label: str) -> None:
    x = Value(1.0, label=label)
    svg = draw_graph(x, legend=False).pipe(format="svg", encoding="utf-8")
    texts = [t.text or "" for t in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")]
    if label.strip():
        assert label.strip() in [t.strip() for t in texts]


# -- rendering ---------------------------------------------------------------------
@needs_dot
def test_rendered_svg_parses_as_xml_and_shows_values() -> None:
    *_, f = seeds_graph()
    f.backward()
    svg = draw_graph(f, edge_grads=True).pipe(format="svg", encoding="utf-8")
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "grad -4" in texts and "data -12" in texts and texts.count("-4") >= 3


@needs_dot
@pytest.mark.parametrize("fmt, magic", [("svg", b"<?xml"), ("png", b"\x89PNG"), ("pdf", b"%PDF")])
def test_render_to_file_formats(tmp_path, fmt: str, magic: bytes) -> None:
    *_, f = seeds_graph()
    path = draw_graph(f).render(tmp_path / "graph", format=fmt)
    with open(path, "rb") as file:
        assert file.read().startswith(magic)


@needs_dot
def test_jupyter_display_is_svg() -> None:
    *_, f = seeds_graph()
    bundle = draw_graph(f)._repr_mimebundle_()
    ET.fromstring(bundle["image/svg+xml"])


@pytest.fixture
def no_dot_on_path(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert shutil.which("dot") is None


def test_without_dot_the_source_is_still_available(no_dot_on_path) -> None:
    *_, f = seeds_graph()
    drawing = draw_graph(f)
    assert isinstance(drawing, GraphDrawing)
    assert "->" in drawing.source


@pytest.mark.parametrize(
    "render",
    [
        lambda d, tmp: d.pipe(format="svg"),
        lambda d, tmp: d.render(tmp / "g", format="png"),
        lambda d, tmp: d._repr_mimebundle_(),
    ],
    ids=["pipe", "render", "jupyter"],
)
def test_without_dot_rendering_raises_one_clear_error(no_dot_on_path, tmp_path, render) -> None:
    *_, f = seeds_graph()
    with pytest.raises(GraphvizNotFoundError) as caught:
        render(draw_graph(f), tmp_path)
    message = str(caught.value)
    assert "'dot' program was not found" in message
    for installer in ("apt-get install graphviz", "brew install graphviz", "conda install"):
        assert installer in message
    assert isinstance(caught.value, graphviz.ExecutableNotFound)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


# -- big graphs ------------------------------------------------------------------
def test_a_100000_node_chain_draws_without_recursion_error() -> None:
    root = chain(100_000)
    source = draw_graph(root).source
    assert "99801 more values not drawn" in source
    assert "max_nodes=200" in source
    assert source.count("shape=") < 10  # defaults, collapsed node, legend: not one per value


def test_max_nodes_none_draws_a_100000_node_chain_in_full() -> None:
    root = chain(100_000)
    source = draw_graph(root, max_nodes=None, legend=False).source
    assert source.count(" -> ") == 2 * 100_000
    assert "more values not drawn" not in source


def test_max_nodes_keeps_the_values_nearest_the_output() -> None:
    root = chain(50)
    source = draw_graph(root, max_nodes=10).source
    assert len(re.findall(r'\[label="\{', source)) == 10
    assert "41 more values not drawn" in source
    assert "start" not in source  # the far end is collapsed
    assert "collapsed -> " in source


def test_collapsed_edges_into_one_operation_are_merged() -> None:
    total = sum_values([Value(float(i)) for i in range(100)])
    source = draw_graph(total, max_nodes=11).source
    assert source.count("collapsed -> ") == 1
    assert "label=\"×90\"" in source or "label=×90" in source


@needs_dot
def test_a_collapsed_big_graph_renders() -> None:
    svg = draw_graph(chain(5_000)).pipe(format="svg", encoding="utf-8")
    ET.fromstring(svg)


def test_max_nodes_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_nodes"):
        draw_graph(Value(1.0), max_nodes=0)


# -- step-through ---------------------------------------------------------------
def test_step_drawings_highlight_the_node_just_run_and_leave_future_grads_blank() -> None:
    x, y, z, q, f = seeds_graph()
    steps = list(backward_steps(f))
    assert len(steps) == 5 and steps[0].node is f
    first = draw_graph(f, step=steps[0]).source
    assert '"{ f | data -12 | grad 1 }"' in first
    assert '"{ q | data 3 | grad -4 }"' in first and '"{ z | data -4 | grad 3 }"' in first
    assert '"{ x | data -2 | grad  }"' in first  # not computed yet: blank
    (highlighted,) = [line for line in first.splitlines() if "penwidth=2" in line and "data" in line]
    assert "{ f |" in highlighted
    assert "backward step 1" in first


def test_step_edge_gradients_appear_once_the_rule_has_run() -> None:
    *_, q, f = seeds_graph()
    steps = list(backward_steps(f))
    at_root = draw_graph(f, step=steps[0], edge_grads=True).source
    assert sorted(edge_labels_into(at_root, op_id_of(at_root, "*"))) == ["-4", "3"]
    assert edge_labels_into(at_root, op_id_of(at_root, "+")) == []
    last = draw_graph(f, step=steps[-1], edge_grads=True).source
    assert edge_labels_into(last, op_id_of(last, "+")) == ["-4", "-4"]


def test_one_step_per_node_and_final_gradients_match_a_plain_backward() -> None:
    w0, x0, w1, x1, w2 = (Value(v, label=n) for v, n in
                          [(2.0, "w0"), (-1.0, "x0"), (-3.0, "w1"), (-2.0, "x1"), (-3.0, "w2")])
    out = 1 / (1 + (-(w0 * x0 + w1 * x1 + w2)).exp())
    steps = list(backward_steps(out))
    needing = [n for n in topological_order(out) if n.requires_grad]
    assert len(steps) == len(needing)
    assert {s.node for s in steps} == set(needing)
    stepped = {n: steps[-1].grads[n] for n in needing}
    for n in needing:
        n.grad = 0.0
    out.backward()
    assert all(stepped[n] == n.grad for n in needing)
    assert [round(v.grad, 2) for v in (w0, x0, w1, x1, w2)] == [-0.2, 0.39, -0.39, -0.59, 0.2]
    final = draw_graph(out, step=steps[-1]).source
    assert "grad  }" not in final  # nothing left blank at the end


class ArrayNode(Node):
    """A minimal array node, standing in for Tensor (which the drawing must not import)."""

    __slots__ = ("data", "grad", "_prev", "_op", "_args", "requires_grad", "label")
    K = ARRAY

    def __init__(self, data, label="", op=None, prev=(), grad=None) -> None:
        self.data, self.grad, self._prev, self._op, self._args = data, grad, prev, op, ()
        self.requires_grad, self.label = True, label


def test_array_graph_edge_gradients_are_summarised() -> None:
    a = ArrayNode(np.full((20, 30), 2.0), "A")
    b = ArrayNode(np.array([1.0, -1.0]), "b")
    c = ArrayNode(np.full((20, 30), 3.0), "C")
    out = ArrayNode(a.data * c.data, "out", MUL, (a, c), grad=np.ones((20, 30)))
    source = draw_graph(out, edge_grads=True).source
    assert "shape 20×30 float64" in source and "data min 6  mean 6  max 6" in source
    mul_id = op_id_of(source, "*")
    assert edge_labels_into(source, mul_id) == ['"min 3  mean 3  max 3"', '"min 2  mean 2  max 2"']
    assert "grad min 1  mean 1  max 1" in source
    assert '"{ b | shape 2 float64 | data [1, -1] | grad  }"' in draw_graph(b).source


def test_drawing_any_node_subclass() -> None:
    class Plain(Node):
        __slots__ = ("data", "grad", "_prev", "_op", "_args", "requires_grad", "label")

    node = Plain()
    node.data, node.grad, node._prev, node._op, node._args = 1.5, None, (), None, ()
    node.requires_grad, node.label = True, ""
    assert '"{ data 1.5 | grad  }"' in draw_graph(node).source
