"""Layout decisions: ranks, the automatic direction, copies of far-away values, edge weights."""
from __future__ import annotations

import functools

from autograd import Value, draw_graph
from autograd.drawing.layout import COLUMN_PT, LONG_EDGE_BUDGET, MAX_SPAN, Wire, choose_rankdir, far_uses, label_size, ranks
from drawing_helpers import parse_dot, seeds_graph


def test_ranks_are_longest_paths_forward_or_back_from_the_output() -> None:
    wires = [Wire("a", "b"), Wire("b", "c"), Wire("a", "c"), Wire("d", "c")]
    assert ranks(["a", "b", "c", "d"], wires) == {"a": 0, "b": 1, "c": 2, "d": 0}
    assert ranks(["a", "b", "c", "d"], wires, from_output=True) == {"c": 0, "b": 1, "a": 2, "d": 1}


def test_ranks_survive_a_cycle() -> None:
    rank = ranks(["a", "b"], [Wire("a", "b"), Wire("b", "a")])
    assert set(rank) == {"a", "b"}


def test_direction_is_left_to_right_while_it_fits_a_column() -> None:
    narrow = {f"e{k}": k for k in range(5)}
    sizes = {e: (60.0, 30.0) for e in narrow}
    assert choose_rankdir(narrow, sizes) == "LR"
    deep = {f"e{k}": k for k in range(60)}
    assert choose_rankdir(deep, {e: (60.0, 30.0) for e in deep}) == "TB"
    wide_and_shallow = {f"e{k}": k % 2 for k in range(40)}  # 2 ranks of 20 wide boxes
    assert choose_rankdir(wide_and_shallow, {e: (300.0, 30.0) for e in wide_and_shallow}) == "LR"
    assert COLUMN_PT > 500


def test_far_uses_keep_the_nearest_edge_and_copy_the_rest() -> None:
    # x feeds a chain a0 -> a1 -> ... -> a19 at every step
    n = 20
    elements = ["x"] + [f"a{k}" for k in range(n)]
    wires = [Wire(f"a{k}", f"a{k + 1}") for k in range(n - 1)] + [Wire("x", f"a{k}") for k in range(n)]
    far = far_uses(elements, wires, {"x"})
    # counted back from the output a19, x -> a_k spans k + 1 ranks; a0 is the nearest
    spans = {n - 1 + k: k + 1 for k in range(n)}
    assert far == {w for w, span in spans.items() if span > MAX_SPAN}
    assert sum(spans[w] - 1 for w in far) > LONG_EDGE_BUDGET
    assert far_uses(elements, wires, set()) == set()


def test_a_small_graph_keeps_every_edge() -> None:
    """Below the budget of long-edge ranks no copy is made: a value used twice is
    drawn once, with two edges leaving it (the copy gate of the lecture notes)."""
    elements = ["x"] + [f"a{k}" for k in range(8)]
    wires = [Wire(f"a{k}", f"a{k + 1}") for k in range(7)] + [Wire("x", "a0"), Wire("x", "a7")]
    assert far_uses(elements, wires, {"x"}) == set()


def test_label_size_reads_rows_and_line_breaks() -> None:
    one = label_size("<x>")
    three = label_size("<<TABLE><TR><TD>x</TD></TR><HR/><TR><TD>data 3</TD></TR><TR><TD>grad -4</TD></TR></TABLE>>")
    assert three[1] > one[1] and three[0] > one[0]
    assert label_size("<&amp;&lt;>") == label_size("<xx>")


def test_the_main_line_has_the_heaviest_edges() -> None:
    """Each operation's deepest input gets weight 8, the others 2; op -> value 10:
    dot then draws a long sum straight, with side branches beside it."""
    x = Value(0.5, label="x")
    total = functools.reduce(lambda a, b: a + b, [x * float(k) for k in range(6)])
    total.backward()
    _, edges = parse_dot(draw_graph(total).source)
    into_last_add = [e for e in edges if e.head == edges[-1].head]
    assert sorted(e.attrs for e in into_last_add) == ['weight="2"', 'weight="8"']
    *_, f = seeds_graph()
    _, edges = parse_dot(draw_graph(f).source)
    assert {e.attrs for e in edges if e.tail.endswith("op")} == {'weight="10"'}
