"""Drawing the graph: value boxes, edge gradients in input cells, matrices, escaping,
direction, big graphs, step drawings."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import graphviz
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import (
    GraphDrawing,
    Node,
    Tensor,
    Value,
    backward_steps,
    draw_graph,
    edge_gradients,
    sum_values,
    topological_order,
)
from autograd.drawing.text import escape_html, format_number, summarize
from autograd.core.numerics import ARRAY
from autograd.core.ops import MUL
from drawing_helpers import (
    needs_program,
    node_by_title,
    op_node,
    parse_dot,
    seeds_graph,
    svg_texts,
    value_rows,
)


def chain(n: int) -> Value:
    v = Value(0.5, label="start")
    for _ in range(n):
        v = v.tanh()
    return v


def words(source: str) -> list[str]:
    """Every word of every label of a drawing."""
    nodes, _ = parse_dot(source)
    return [w for node in nodes.values() for w in node.text().split()]


def edges_into(source: str, head: str) -> list[tuple[str, str | None]]:
    _, edges = parse_dot(source)
    return [(e.tail, e.port) for e in edges if e.head == head]


# -- contents ----------------------------------------------------------------
def test_seeds_graph_shows_every_value_and_gradient() -> None:
    *_, f = seeds_graph()
    f.backward()
    rows = value_rows(draw_graph(f).source)
    assert rows == {
        "x": ["x", "data -2", "grad -4"], "y": ["y", "data 5", "grad -4"],
        "z": ["z", "data -4", "grad 3"], "q": ["q", "data 3", "grad -4"],
        "f": ["f", "data -12", "grad 1"],
    }


def test_edge_gradients_sit_in_the_cell_where_their_edge_ends() -> None:
    x, y, z, q, f = seeds_graph()
    f.backward()
    source = draw_graph(f, edge_grads=True).source
    add, mul = op_node(source, "+"), op_node(source, "*")
    assert add.ports() == {"i0": "-4", "i1": "-4"}          # add distributes
    assert mul.ports() == {"i0": "-4", "i1": "3"}           # mul swaps: q gets z, z gets q
    ids = {title: node_by_title(source, title).id for title in "xyzq"}
    assert edges_into(source, add.id) == [(ids["x"], "i0"), (ids["y"], "i1")]
    assert edges_into(source, mul.id) == [(ids["q"], "i0"), (ids["z"], "i1")]


def test_without_edge_grads_commutative_operations_have_no_input_cells() -> None:
    *_, f = seeds_graph()
    f.backward()
    source = draw_graph(f).source
    assert op_node(source, "*").ports() == {} and op_node(source, "+").ports() == {}


@pytest.mark.parametrize("make, symbol", [
    (lambda a, b: a - b, "-"), (lambda a, b: a / b, "/"), (lambda a, b: a ** b, "**"),
])
def test_the_first_and_second_inputs_of_ordered_operations_are_marked(make, symbol) -> None:
    right = Value(2.0, label="right")
    left = Value(3.0, label="left")
    out = make(left, right)
    out.backward()
    for edge_grads in (False, True):
        source = draw_graph(out, edge_grads=edge_grads).source
        op = op_node(source, symbol)
        assert f"a {symbol} b" in op.text()
        assert op.ports()["i0"].startswith("a") and op.ports()["i1"].startswith("b")
        left_id, right_id = node_by_title(source, "left").id, node_by_title(source, "right").id
        assert edges_into(source, op.id) == [(left_id, "i0"), (right_id, "i1")]


def test_max_routes_the_gradient_to_the_larger_input() -> None:
    a, b = Value(3.0, label="a"), Value(1.0, label="b")
    m = a.max(b) * 2.0
    m.backward()
    source = draw_graph(m, edge_grads=True).source
    assert op_node(source, "max").ports() == {"i0": "2", "i1": "0"}


def test_a_value_used_twice_has_two_edges_whose_gradients_add() -> None:
    a = Value(3.0, label="a")
    s = a * a
    s.backward()
    source = draw_graph(s, edge_grads=True).source
    mul = op_node(source, "*")
    assert mul.ports() == {"i0": "3", "i1": "3"}
    a_id = node_by_title(source, "a").id
    assert edges_into(source, mul.id) == [(a_id, "i0"), (a_id, "i1")]
    assert value_rows(source)["a"] == ["a", "data 3", "grad 6"]


def test_constants_are_grey_dashed_and_have_no_grad() -> None:
    x = Value(2.0, label="x")
    y = x * 10
    y.backward()
    nodes, _ = parse_dot(draw_graph(y).source)
    (constant,) = [n for n in nodes.values() if n.rows() == ["data 10"]]
    assert "dashed" in constant.attrs and "#eeeeee" in constant.attrs
    assert "dashed" not in node_by_title(draw_graph(y).source, "x").attrs


def test_no_label_ever_shows_minus_zero() -> None:
    x = Value(-0.0, label="x")
    out = -(x * 0.0)
    out.backward()
    x.grad = -0.0
    assert [str(g) for g in edge_gradients(out._prev[0])] == ["-0.0", "None"]  # -1 * 0.0
    source = draw_graph(out, edge_grads=True).source
    assert "-0" not in words(source) and "0" in words(source)
    assert format_number(-0.0) == "0" and summarize(np.array([-0.0, 1.0])) == "[0, 1]"


def test_node_ids_are_unique_and_the_source_is_stable() -> None:
    *_, f = seeds_graph()
    first, second = draw_graph(f).source, draw_graph(f).source
    assert first == second
    nodes, _ = parse_dot(first)
    assert len(nodes) == 5 + 2  # values and operations


def test_fields_can_be_hidden_and_the_direction_chosen() -> None:
    *_, f = seeds_graph()
    source = draw_graph(f, rankdir="TB", show_data=False, show_grad=False).source
    assert "rankdir=TB" in source
    assert "data" not in words(source) and "grad" not in words(source)


def test_returns_a_digraph_with_a_text_form() -> None:
    *_, f = seeds_graph()
    drawing = draw_graph(f)
    assert isinstance(drawing, graphviz.Digraph) and isinstance(drawing, GraphDrawing)
    assert drawing.description == "graph of f: 5 values, 2 operations"
    assert repr(drawing) == "<graph of f: 5 values, 2 operations>"


def test_the_legend_is_optional_and_one_row() -> None:
    *_, f = seeds_graph()
    assert "legend" not in draw_graph(f).source and "constant" not in draw_graph(f).source
    source = draw_graph(f, legend=True, edge_grads=True).source
    (label,) = re.findall(r"^\s*label=<(.*)> labeljust", source, re.M)
    legend = ET.fromstring(label)
    assert len(legend.findall(".//TABLE/TR")) == 1  # the legend is one row
    text = " ".join(legend.itertext())
    assert "constant" in text and "gradient flowing back" in text


# -- matrices -------------------------------------------------------------------
def test_small_tensors_are_grids_of_rows_and_columns() -> None:
    A = Tensor([[3.0, -6.0], [4.0, -8.0]], label="A")
    B = Tensor([[1.0, 2.0], [0.0, 1.0]], label="B")
    C = (A @ B).sum()
    C.label = "C"
    C.backward()
    source = draw_graph(C, edge_grads=True).source
    a = node_by_title(source, "A 2×2 float64").label
    data_grid, grad_grid = [td.find("TABLE") for td in a.iter("TD") if td.find("TABLE") is not None]
    assert [[td.text for td in tr.findall("TD")] for tr in data_grid.findall("TR")] == [["3", "-6"], ["4", "-8"]]
    assert [[td.text for td in tr.findall("TD")] for tr in grad_grid.findall("TR")] == [["3", "1"], ["3", "1"]]
    port = [td for td in op_node(source, "@").label.iter("TD") if td.get("PORT") == "i0"][0]
    grid = port.findall(".//TABLE")[-1]  # the edge gradient into A is a grid too
    assert [[td.text for td in tr.findall("TD")] for tr in grid.findall("TR")] == [["3", "1"], ["3", "1"]]


def test_large_tensors_get_shape_dtype_min_mean_max() -> None:
    W = Tensor(np.arange(1000.0).reshape(10, 100), label="W")
    out = (W * 2.0).sum()
    out.backward()
    source = draw_graph(out, edge_grads=True).source
    rows = node_by_title(source, "W 10×100 float64").rows()
    assert rows[1] == "data 10×100 float64 min 0 · mean 499.5 · max 999"
    assert rows[2] == "grad 10×100 float64 min 2 · mean 2 · max 2"
    assert op_node(source, "*").ports()["i0"] == "10×100 float64 min 2 · mean 2 · max 2"
    assert len(source) < 5000


def test_huge_numbers_nan_and_inf_are_drawn() -> None:
    x = Value(1e308, label="x")
    y = Value(float("nan"), label="y")
    out = x * 10 + y + Value(float("-inf"), label="z")
    out.backward()
    text = words(draw_graph(out, edge_grads=True).source)
    assert "1e+308" in text and "nan" in text and "-inf" in text
    big = Tensor(np.array([[1e300, np.nan, np.inf, -np.inf, 0.0]]), label="big")
    assert "nan" in words(draw_graph(big).source)
    assert format_number(10**40) == "1e+40" and format_number(-(10**13)) == "-1e+13"


# -- escaping ------------------------------------------------------------------
NASTY_LABELS = ['say "hi"', "{braces}", "<angle>", "a|b", "back\\slash", "end\\", "<b>html</b>",
                "x\ny", "&amp; &lt;", "it's", "]]>"]


@pytest.mark.parametrize("label", NASTY_LABELS)
def test_labels_with_special_characters_stay_text(label: str) -> None:
    x = Value(1.0, label=label)
    y = x * 2
    y.backward()
    source = draw_graph(y, edge_grads=True).source
    nodes, _ = parse_dot(source)  # every label parses as XML: nothing escaped its cell
    titles = [n.rows()[0] for n in nodes.values() if not n.id.endswith("op")]
    assert " ".join(label.split()) in titles
    assert escape_html("<b>") == "&lt;b&gt;" and escape_html('"') == "&quot;"


@needs_program
@pytest.mark.parametrize("label", NASTY_LABELS)
def test_labels_with_special_characters_render_to_valid_svg(label: str) -> None:
    x = Value(1.0, label=label)
    y = x * 2
    y.label = label
    y.backward()
    svg = draw_graph(y, edge_grads=True).pipe(format="svg", encoding="utf-8")
    shown = "".join(svg_texts(svg))
    assert "".join(label.split()) in "".join(shown.split())


@needs_program
@settings(max_examples=30, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=12))
def test_any_printable_label_renders_verbatim(label: str) -> None:
    x = Value(1.0, label=label)
    svg = draw_graph(x).pipe(format="svg", encoding="utf-8")
    if label.strip():
        assert " ".join(label.split()) in [" ".join(t.split()) for t in svg_texts(svg)]


# -- direction and size ------------------------------------------------------------
def test_small_graphs_go_left_to_right_and_long_ones_top_to_bottom() -> None:
    *_, f = seeds_graph()
    assert "rankdir=LR" in draw_graph(f).source
    assert "rankdir=TB" in draw_graph(chain(199)).source


@needs_program
def test_a_tensor_layer_drawing_fits_a_column() -> None:
    rng = np.random.default_rng(0)
    X = Tensor(rng.normal(size=(100, 2)), requires_grad=False, label="X")
    W, b = Tensor(rng.normal(size=(2, 16)), label="W"), Tensor(np.zeros(16), label="b")
    out = (X @ W + b).relu().sum()
    out.backward()
    svg = draw_graph(out, edge_grads=True).pipe("svg", encoding="utf-8")
    width = float(re.search(r'<svg width="([\d.]+)pt"', svg).group(1))
    assert width < 800  # the issue: 4,657 px wide when drawn left to right


def test_a_value_used_far_away_is_drawn_again_beside_the_use() -> None:
    x = Value(0.5, label="x")
    total = x
    for _ in range(99):
        total = total + x
    total.backward()
    source = draw_graph(total).source
    nodes, edges = parse_dot(source)
    x_id = node_by_title(source, "x").id
    copies = [n for n in nodes.values() if n.id.startswith(x_id + "c")]
    assert len([e for e in edges if e.tail == x_id]) <= 3
    assert len(copies) >= 95 and all(c.text() == "x" and "dashed" in c.attrs for c in copies)
    assert {e.head for e in edges if e.tail in {c.id for c in copies}} <= {n for n in nodes if n.endswith("op")}


def test_nearby_uses_are_not_copied() -> None:
    x = Value(0.5, label="x")
    out = sum_values([x * float(k) for k in range(16)])
    out.backward()
    nodes, _ = parse_dot(draw_graph(out).source)
    assert not [n for n in nodes if "c" in n]


# -- big graphs ------------------------------------------------------------------
def test_a_100000_node_chain_draws_without_recursion_error() -> None:
    source = draw_graph(chain(100_000)).source
    assert "99801 more values not drawn" in source and "max_nodes=200" in source
    assert len(parse_dot(source)[0]) < 500


def test_max_nodes_none_draws_a_100000_node_chain_in_full() -> None:
    _, edges = parse_dot(draw_graph(chain(100_000), max_nodes=None).source)
    assert len(edges) == 2 * 100_000


def test_max_nodes_keeps_the_values_nearest_the_output() -> None:
    source = draw_graph(chain(50), max_nodes=10).source
    assert len(value_rows(source)) == 10
    assert "41 more values not drawn" in source and "start" not in words(source)
    assert "collapsed -> " in source


def test_cut_edges_into_one_operation_are_merged() -> None:
    total = sum_values([Value(float(i)) for i in range(100)])
    _, edges = parse_dot(draw_graph(total, max_nodes=11).source)
    cut = [e for e in edges if e.tail == "collapsed"]
    assert len(cut) == 1 and 'label="×90"' in cut[0].attrs or "label=×90" in cut[0].attrs


def test_max_nodes_and_rankdir_are_checked() -> None:
    with pytest.raises(ValueError, match="max_nodes"):
        draw_graph(Value(1.0), max_nodes=0)
    with pytest.raises(ValueError, match="rankdir"):
        draw_graph(Value(1.0), rankdir="XY")


# -- step drawings -----------------------------------------------------------------
def test_a_step_highlights_the_node_just_run_and_leaves_future_grads_blank() -> None:
    x, y, z, q, f = seeds_graph()
    steps = list(backward_steps(f))
    source = draw_graph(f, step=steps[0]).source
    rows = value_rows(source)
    assert rows["f"] == ["f", "data -12", "grad 1"] and rows["q"][2] == "grad -4"
    assert rows["x"] == ["x", "data -2", "grad"]  # not computed yet: blank
    assert 'penwidth="2"' in node_by_title(source, "f").attrs
    assert "penwidth" not in node_by_title(source, "q").attrs
    assert "*: upstream 1 × local -4 (= z) → q receives -4" in source


def test_a_partial_gradient_says_how_many_uses_have_arrived() -> None:
    a, b = Value(3.0, label="a"), Value(2.0, label="b")
    s = a * b + a * a     # a is used three times
    s.label = "s"
    steps = list(backward_steps(s))
    seen = [value_rows(draw_graph(s, step=step).source)["a"][2] for step in steps]
    assert "grad 6 (2 of 3 uses)" in seen and "grad 8" in seen
    assert seen[0] == "grad"


def test_step_edge_gradients_appear_once_the_rule_has_run() -> None:
    *_, f = seeds_graph()
    steps = list(backward_steps(f))
    at_root = draw_graph(f, step=steps[0], edge_grads=True).source
    assert op_node(at_root, "*").ports() == {"i0": "-4", "i1": "3"}
    assert op_node(at_root, "+").ports() == {"i0": "", "i1": ""}
    last = draw_graph(f, step=steps[-1], edge_grads=True).source
    assert op_node(last, "+").ports() == {"i0": "-4", "i1": "-4"}


def test_final_step_gradients_match_a_plain_backward() -> None:
    w0, x0, w1, x1, w2 = (Value(v, label=n) for v, n in
                          [(2.0, "w0"), (-1.0, "x0"), (-3.0, "w1"), (-2.0, "x1"), (-3.0, "w2")])
    out = 1 / (1 + (-(w0 * x0 + w1 * x1 + w2)).exp())
    steps = list(backward_steps(out))
    needing = [n for n in topological_order(out) if n.requires_grad]
    stepped = {n: steps[-1].grads[n] for n in needing}
    for n in needing:
        n.grad = 0.0
    out.backward()
    assert all(stepped[n] == n.grad for n in needing)
    final = draw_graph(out, step=steps[-1]).source
    nodes, _ = parse_dot(final)
    grads = [n.rows()[-1] for n in nodes.values()
             if isinstance(n.label, ET.Element) and n.rows()[-1].startswith("grad")]
    assert len(grads) == len(needing) and "grad" not in grads  # nothing left blank
    assert "Backward is done" in final


class ArrayNode(Node):
    """A minimal array node, standing in for Tensor."""

    __slots__ = ("data", "grad", "_prev", "_op", "_args", "requires_grad", "label")
    K = ARRAY

    def __init__(self, data, label="", op=None, prev=(), grad=None) -> None:
        self.data, self.grad, self._prev, self._op, self._args = data, grad, prev, op, ()
        self.requires_grad, self.label = True, label


def test_any_node_subclass_draws() -> None:
    a = ArrayNode(np.full((20, 30), 2.0), "A")
    c = ArrayNode(np.full((20, 30), 3.0), "C")
    out = ArrayNode(a.data * c.data, "out", MUL, (a, c), grad=np.ones((20, 30)))
    source = draw_graph(out, edge_grads=True).source
    assert op_node(source, "*").ports() == {"i0": "20×30 float64 min 3 · mean 3 · max 3",
                                            "i1": "20×30 float64 min 2 · mean 2 · max 2"}
    assert value_rows(draw_graph(ArrayNode(np.array([1.0, -1.0]), "b")).source)["b 2 float64"][2] == "grad"
