"""nn.course: the exercise notebooks' checks, on the solution form, the student form,
and one deliberate mistake per exercise (the wrong value highlighted where it applies)."""
from __future__ import annotations

import linecache
import re

import numpy as np
import pytest

pytest.importorskip("nbformat")

import autograd
from autograd import Value
from nn import course, feedback
from nn.course import EXERCISES, evaluate

from tests.scripts import ROOT, load_script


build = load_script("notebooks/build.py")
NAMES = build.exercise_names()


def run_notebook(nb, replace: tuple[str, str] | None = None) -> dict:
    """Run a notebook's code cells in one namespace (as the grader does), after an optional
    textual replacement in its exercise cell; returns the namespace."""
    namespace: dict = {"__name__": "__main__"}
    for k, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        source = cell.source
        if replace and any(t.startswith("exercise:") for t in cell.metadata.get("tags", [])):
            assert replace[0] in source, f"the mutation {replace[0]!r} does not apply"
            source = source.replace(replace[0], replace[1])
        name = f"<test cell {k}>"
        linecache.cache[name] = (len(source), None, source.splitlines(True), name)
        exec(compile(source, name, "exec"), namespace)
    return namespace


def solution_function(name: str, exercise_id: str, replace=None):
    nb = build.exercise_notebook(name, student=False)
    return run_notebook(nb, replace)[EXERCISES[exercise_id].function]


def red_label(drawing) -> str | None:
    """The label of the value box drawn red (the one with the thick red border)."""
    for line in drawing.source.splitlines():
        if 'penwidth=3' in line and "#d62728" in line:
            match = re.search(r"<B>([^<]*)</B>", line)
            return match.group(1) if match else ""
    return None


def test_there_are_nine_exercise_notebooks_one_exercise_each_in_the_lecture_order():
    assert len(NAMES) >= 9
    ids = [build.exercise_ids(build.exercise_notebook(n, student=True))[0] for n in NAMES]
    assert ids == list(EXERCISES)


@pytest.mark.parametrize("name", NAMES)
def test_the_solution_form_passes_every_check(name, capsys):
    nb = build.exercise_notebook(name, student=False)
    namespace = run_notebook(nb)
    for exercise_id in build.exercise_ids(nb):
        result = evaluate(exercise_id, namespace[EXERCISES[exercise_id].function])
        assert result.passed, result.message
        assert result.points == result.max_points == EXERCISES[exercise_id].points
    assert "passed" in capsys.readouterr().out  # check() printed its pass outside Jupyter


@pytest.mark.parametrize("name", NAMES)
def test_the_student_form_runs_to_the_end_and_scores_zero(name):
    nb = build.exercise_notebook(name, student=True)
    assert "### BEGIN SOLUTION" not in "".join(c.source for c in nb.cells)
    namespace = run_notebook(nb)  # raises if any cell fails
    for exercise_id in build.exercise_ids(nb):
        result = evaluate(exercise_id, namespace[EXERCISES[exercise_id].function])
        assert not result.passed and result.points == 0
        assert "not written yet" in result.message and "Traceback" not in result.message


def test_the_committed_exercise_notebooks_are_the_student_form(tmp_path):
    build.write_exercises(tmp_path, student=True)
    committed = sorted(p.name for p in (ROOT / "notebooks" / "exercises").glob("*.ipynb"))
    assert committed == sorted(p.name for p in tmp_path.glob("*.ipynb"))
    for name in committed:
        assert (tmp_path / name).read_text() == (ROOT / "notebooks" / "exercises" / name).read_text(), \
            f"notebooks/exercises/{name} is stale: run python notebooks/build.py --exercises"


def test_strip_solutions_keeps_the_indentation_and_refuses_unbalanced_markers():
    source = "def f(x):\n    y = 1\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION\n"
    assert build.strip_solutions(source) == ('def f(x):\n    y = 1\n    # YOUR CODE HERE\n'
                                             '    raise NotImplementedError("your code here")')
    with pytest.raises(ValueError, match="without"):
        build.strip_solutions("### BEGIN SOLUTION\nx = 1")


MISTAKES = [
    # (notebook, exercise, replace this, with this, words in the message, the value drawn red)
    ("e01_chain_rule", "chain_rule", "dfdz = q", "dfdz = z", "df/dz is wrong", "z"),
    ("e02_gate_patterns", "gate_patterns", "dx = dp * y + 1.0", "dx = dp * y", "used 2 times", "x"),
    ("e03_flat_code", "flat_code", "grad_w1 = grad_s1 * x1", "grad_w1 = grad_s1 * w1",
     "grad_w1 (the first wrong line)", "w1"),
    ("e04_your_own_op", "softplus", "g * K.sigmoid(x)", "g * K.exp(x)", "σ(x)", "h"),
    ("e05_relu_vector", "relu_vector", "np.where(x > 0, upstream, 0.0)", "upstream * (x > 0)",
     "not -0", None),
    ("e05_relu_vector", "relu_vector", "x > 0", "x >= 0", "dL/dx[", "x["),
    ("e06_matmul", "matmul", "dW = X.T @ G", "dW = X.T @ G * 1.5", "dL/dW[", "W["),
    ("e06_matmul", "matmul", "dW = X.T @ G", "dW = G.T @ X", "the only way to make the shapes match", None),
    ("e07_batched_layer", "batched_layer", "db = G.sum(axis=0)", "db = G.mean(axis=0)", "used 2 times", "b["),
    ("e08_svm", "svm", "+ 2 * reg * W", "+ reg * W", "dL/dW[", "W["),
    ("e08_svm", "svm", "loss = margins.sum() / N", "loss = margins.sum()", "the loss is wrong", None),
    ("e09_sgd", "sgd", "steps=3000", "steps=2", "held-out accuracy", None),
]


@pytest.mark.parametrize("name, exercise_id, old, new, words, red", MISTAKES,
                         ids=[f"{m[1]}:{m[3][:20]}" for m in MISTAKES])
def test_a_deliberate_mistake_gets_the_right_feedback(name, exercise_id, old, new, words, red):
    result = evaluate(exercise_id, solution_function(name, exercise_id, (old, new)))
    assert not result.passed
    assert words in result.message
    assert "Traceback" not in result.message
    if red is None:
        assert result.drawing is None
    else:
        assert result.drawing is not None
        assert red_label(result.drawing).startswith(red)
        assert "expected" in result.drawing.source  # the gradient the red edge should carry


def test_the_red_edge_says_upstream_times_the_local_gradient_from_the_op_table():
    result = evaluate("chain_rule", lambda x, y, z: (z, z, x))  # df/dz wrong
    red_edges = [line for line in result.drawing.source.splitlines() if " -> " in line and "#d62728" in line]
    assert len(red_edges) == 1
    assert "local" in red_edges[0] and "d(ab)/db = a" in red_edges[0]  # MUL's formula, input b
    assert "<B>yours</B>" in result.drawing.source


def test_hard_coded_numbers_fail_on_the_hidden_random_inputs():
    result = evaluate("chain_rule", lambda x, y, z: (-4.0, -4.0, 3.0))
    assert not result.passed and "df/d" in result.message


@pytest.mark.parametrize("function, words", [
    (lambda X, W, G: 1 / 0, "raised ZeroDivisionError: division by zero (in <lambda>"),
    (lambda X, W, G: (G @ W.T, np.full(W.shape, np.nan)), "dL/dW contains nan"),
    (lambda X, W, G: (G @ W.T, "abc"), "should be a numpy array of shape"),
    (lambda X, W, G: G @ W.T, "must return 2 arrays"),
    (42, "should be a function"),
])
def test_student_errors_become_messages_in_their_terms(function, words):
    result = evaluate("matmul", function)
    assert not result.passed and words in result.message
    assert "course.py" not in result.message and "Traceback" not in result.message


def test_a_loop_that_never_ends_is_stopped_by_the_time_limit():
    def forever(x, y, z):
        while True:
            pass
    result = evaluate("chain_rule", forever, seconds=0.3)
    assert not result.passed and "did not finish within 0.3 seconds" in result.message


def test_time_limits_nest():
    with feedback.time_limit(5):
        with pytest.raises(feedback.TimeLimitExceeded):
            with feedback.time_limit(0.1):
                while True:
                    pass
        import signal
        assert signal.getitimer(signal.ITIMER_REAL)[0] > 3  # the outer limit still runs


def test_an_unknown_exercise_names_the_known_ones(capsys):
    result = evaluate("matmull", print)
    assert not result.passed and "matmull" in result.message
    assert all(e in result.message for e in EXERCISES)
    course.check("matmull", print)
    assert "the exercises are: chain_rule" in capsys.readouterr().out


def test_mark_wrong_leaves_a_drawing_it_does_not_recognise_unchanged():
    x = Value(1.0, label="x")
    y = x * 2
    y.label = "y"
    y.backward()
    other = Value(3.0, label="other") + 1
    drawing = autograd.draw_graph(other)
    before = drawing.source
    assert feedback.mark_wrong(drawing, y, x).source == before
    painted = feedback.mark_wrong(autograd.draw_graph(y, edge_grads=True), y, x, got=5.0)
    assert red_label(painted) == "x" and "<B>5</B>" in painted.source


def test_formula_for_input_reads_the_op_table():
    x = Value(2.0)
    assert feedback.formula_for_input((x * x).op, 1) == "d(ab)/db = a"
    assert feedback.formula_for_input(x.sigmoid().op, 0) == x.sigmoid().op.formula
