"""Expressions typed by a user: evaluated by walking the syntax tree, never eval/exec;
hostile input is refused before anything runs."""
from __future__ import annotations

import builtins
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Value
from autograd.expression import FUNCTIONS, ExpressionError, evaluate, parse, variables_in


def test_the_seeds_example() -> None:
    f = evaluate("(x + y) * z", {"x": -2, "y": 5, "z": -4})
    f.backward()
    leaves = {v.label: v for v in _leaves(f)}
    assert f.data == -12 and [leaves[n].grad for n in "xyz"] == [-4, -4, 3]


def _leaves(root: Value) -> list[Value]:
    from autograd import topological_order
    return [n for n in topological_order(root) if n._op is None and n.requires_grad]


@pytest.mark.parametrize("text, expected", [
    ("x - y / 2 ** 3", 1.0 - 2.0 / 8), ("-x", -1.0), ("exp(x)", math.e), ("log(y)", math.log(2)),
    ("tanh(x)", math.tanh(1)), ("sigmoid(x)", 1 / (1 + math.exp(-1))), ("relu(-y)", 0.0),
    ("abs(-y)", 2.0), ("max(x, y)", 2.0), ("min(x, y)", 1.0), ("2.5e1 * x", 25.0),
    ("x ** -1", 1.0), ("((x))", 1.0),
])
def test_allowed_constructs(text: str, expected: float) -> None:
    assert evaluate(text, {"x": 1.0, "y": 2.0}).data == pytest.approx(expected)


def test_numbers_are_constants_and_variables_are_labelled_leaves() -> None:
    out = evaluate("3 * x", {"x": 2.0})
    constant, x = out._prev
    assert not constant.requires_grad and x.requires_grad and x.label == "x"


def test_huge_powers_do_not_hang_or_crash() -> None:
    assert evaluate("9 ** 9 ** 9 * x", {"x": 1.0}).data == math.inf
    assert math.isnan(evaluate("x * 0 * 1e999", {"x": 1.0}).data)


def test_variables_are_listed_in_reading_order_without_function_names() -> None:
    assert variables_in("max(b, a) * exp(c) + b") == ["b", "a", "c"]


def test_every_missing_variable_is_named() -> None:
    with pytest.raises(ExpressionError, match="no value given for a, c"):
        evaluate("a * b + c", {"b": 1.0})


# -- refused, naming the construct ------------------------------------------------------
REFUSED = [
    ("__import__('os').system('touch PWNED')", "attribute access"),
    ("x.__class__", "attribute access"),
    ("(lambda: 1)()", "lambda"),
    ("[x for x in y]", "comprehension"),
    ("{x: 1 for x in y}", "comprehension"),
    ("(x for x in y)", "comprehension"),
    ("x[0]", "subscript"),
    ("print(x)", "the call print()"),
    ("open('f')", "the call open()"),
    ("eval('1')", "the call eval()"),
    ("_x + 1", "names starting with _"),
    ("__builtins__", "names starting with _"),
    ("(y := 3)", "assignment (:=)"),
    ("x = 1", "assignment"),
    ("x += 1", "assignment"),
    ("import os", "import"),
    ("x // 2", "the operator //"),
    ("x % 2", "the operator %"),
    ("x @ y", "the operator @"),
    ("x < y", "comparison"),
    ("x and y", "'and'/'or'"),
    ("x if y else 1", "conditional expression"),
    ("'text'", "the str"),
    ("True * x", "the bool"),
    ("1j * x", "the complex"),
    ("+x", "unary plus"),
    ("not x", "'not'"),
    ("~x", "the operator ~"),
    ("max(x)", "max() with 1 argument (it takes 2)"),
    ("exp(x, y)", "exp() with 2 arguments (it takes 1)"),
    ("exp(x=1)", "a keyword argument in exp()"),
    ("exp(*x)", "starred"),
    ("exp", "the function name 'exp' used as a variable"),
    ("f'{x}'", "f-string"),
    ("[x, y]", "list"),
    ("(x, y)", "tuple"),
    ("x; y", "one expression"),
]


@pytest.mark.parametrize("text, says", REFUSED, ids=[t for t, _ in REFUSED])
def test_constructs_outside_the_allowed_set_are_refused_by_name(text: str, says: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        evaluate(text, {"x": 1.0, "y": 2.0})
    assert says in str(caught.value)


@pytest.mark.parametrize("text, says", [
    ("x +", "syntax error at the end of the expression"),
    ("x y", "syntax error at column 3"),
    ("(x + 1", "syntax error at column 1: '(' was never closed"),
    ("", "empty"),
    ("x" * 10_001, "at most 10,000"),
    ("(" * 300 + "x" + ")" * 300, "nested parentheses"),
    ("1" * 400 + " * x", "too large"),
])
def test_syntax_errors_and_oversized_input_say_where(text: str, says: str) -> None:
    with pytest.raises(ExpressionError, match=None) as caught:
        evaluate(text, {"x": 1.0})
    assert says in str(caught.value)


def test_hostile_input_runs_nothing(tmp_path) -> None:
    """Nothing in the text is executed: eval, exec and open are never called, compile
    only ever parses (ast.parse), nothing is imported, and the file the text tries
    to create does not appear."""
    marker = tmp_path / "PWNED"
    hostile = [
        f"__import__('os').system('touch {marker}')",
        f"open('{marker}', 'w').write('x')",
        "x.__class__.__bases__[0].__subclasses__()",
        "(lambda: __import__('os'))()",
        f"[__import__('os').system('touch {marker}') for _ in 'a']",
        f"exp(__import__('os').system('touch {marker}'))",
        f"max(x, __import__('os').system('touch {marker}'))",
        f"x + eval(\"__import__('os').system('touch {marker}')\")",
    ]
    calls = []
    real = {name: getattr(builtins, name) for name in ("eval", "exec", "open", "compile", "__import__")}

    def refuse(name):
        def called(*args, **kwargs):
            calls.append((name, args[:1]))
            raise RuntimeError(f"{name} called")
        return called

    def parse_only(source, filename, mode, flags=0, *args, **kwargs):
        calls.append(("compile", flags))
        return real["compile"](source, filename, mode, flags, *args, **kwargs)

    def record_import(name, *args, **kwargs):
        calls.append(("import", name))
        return real["__import__"](name, *args, **kwargs)

    refused = []
    try:
        builtins.eval, builtins.exec, builtins.open = refuse("eval"), refuse("exec"), refuse("open")
        builtins.compile, builtins.__import__ = parse_only, record_import
        for text in hostile:
            try:
                evaluate(text, {"x": 1.0})
            except ExpressionError as err:
                refused.append(str(err))
    finally:
        for name, fn in real.items():
            setattr(builtins, name, fn)
    assert len(refused) == len(hostile)
    assert not marker.exists()
    import ast as ast_module
    compiled = [flags for kind, flags in calls if kind == "compile"]
    imported = {name for kind, name in calls if kind == "import"}
    assert compiled and all(flags & ast_module.PyCF_ONLY_AST for flags in compiled)   # parsing only
    assert imported <= {"collections"}, imported          # ast.walk's own import, nothing else
    assert {kind for kind, _ in calls} <= {"compile", "import"}


@given(st.text(max_size=40))
def test_any_text_either_evaluates_or_raises_expression_error(text: str) -> None:
    try:
        result = evaluate(text, {name: 0.5 for name in "abcxyz"})
    except ExpressionError:
        return
    assert isinstance(result, Value)


def test_parse_returns_a_checked_tree() -> None:
    assert type(parse("x * 2").body).__name__ == "BinOp"
    assert set(FUNCTIONS) == {"exp", "log", "tanh", "sigmoid", "relu", "abs", "max", "min"}
