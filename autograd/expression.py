"""A formula typed by a user, such as ``(x + y) * z``, evaluated on Values safely.

The text is parsed with :mod:`ast` and the tree is walked here; it is never
given to ``eval`` or ``exec``.  Before anything is evaluated the whole tree is
checked: only numbers, variable names, ``+ - * / **``, unary minus,
parentheses and calls of :data:`FUNCTIONS` are allowed.  Anything else raises
:class:`ExpressionError` naming the construct and its column.
"""
from __future__ import annotations

import ast
from typing import Callable, Mapping

from .core.value import Value

FUNCTIONS: dict[str, tuple[int, Callable[..., Value]]] = {
    "exp": (1, Value.exp),
    "log": (1, Value.log),
    "tanh": (1, Value.tanh),
    "sigmoid": (1, Value.sigmoid),
    "relu": (1, Value.relu),
    "abs": (1, Value.abs),
    "max": (2, Value.max),
    "min": (2, Value.min),
}
"""The functions an expression may call: name -> (number of arguments, method)."""

MAX_LENGTH = 10_000
"""Longer expressions are refused before they are parsed."""

_OPERATORS: dict[type, Callable[[Value, Value], Value]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: lambda a, b: a ** b,
}
_OPERATOR_TEXT = {ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@", ast.LShift: "<<",
                  ast.RShift: ">>", ast.BitOr: "|", ast.BitXor: "^", ast.BitAnd: "&"}
_CONSTRUCTS = {
    ast.Attribute: "attribute access", ast.Subscript: "subscript", ast.Lambda: "lambda",
    ast.ListComp: "comprehension", ast.SetComp: "comprehension", ast.DictComp: "comprehension",
    ast.GeneratorExp: "comprehension", ast.NamedExpr: "assignment (:=)",
    ast.Compare: "comparison", ast.BoolOp: "'and'/'or'", ast.IfExp: "conditional expression",
    ast.List: "list", ast.Tuple: "tuple", ast.Dict: "dict", ast.Set: "set",
    ast.Starred: "starred argument", ast.JoinedStr: "f-string", ast.Await: "await",
    ast.Yield: "yield", ast.YieldFrom: "yield", ast.Slice: "slice",
}


class ExpressionError(ValueError):
    """An expression that cannot be evaluated: a syntax error, a construct that is
    not allowed, a missing variable.  The message says which and where."""


def variables_in(text: str) -> list[str]:
    """The variable names ``text`` uses, in order of first use (checks it first)."""
    return _variables(parse(text))


def _variables(tree: ast.Expression) -> list[str]:
    called = _called(tree)
    names = [n for n in ast.walk(tree) if isinstance(n, ast.Name) and id(n) not in called]
    names.sort(key=lambda n: (n.lineno, n.col_offset))
    return list(dict.fromkeys(n.id for n in names))


def parse(text: str) -> ast.Expression:
    """The checked syntax tree of ``text``; :class:`ExpressionError` if it is not
    one allowed expression."""
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"the expression is {len(text):,} characters long; at most {MAX_LENGTH:,} are allowed")
    if not text.strip():
        raise ExpressionError("the expression is empty")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as err:
        raise ExpressionError(_syntax_message(text, err)) from None
    except (RecursionError, MemoryError):
        raise ExpressionError("the expression is nested too deeply") from None
    _check(tree)
    return tree


def evaluate(text: str, values: Mapping[str, float]) -> Value:
    """The Value of the expression ``text`` with each variable a leaf Value
    (labelled with its name) from ``values``.  Numbers in the text become
    constants.  Every missing variable is named in one error."""
    tree = parse(text)
    names = _variables(tree)
    missing = [n for n in names if n not in values]
    if missing:
        raise ExpressionError(f"no value given for {', '.join(missing)} (write e.g. {missing[0]}=1.5)")
    leaves = {name: Value(values[name], label=name) for name in names}
    return _walk(tree.body, leaves)


def _walk(root: ast.expr, leaves: Mapping[str, Value]) -> Value:
    """Evaluate a checked tree bottom-up with an explicit stack (no recursion)."""
    results: dict[int, Value] = {}
    stack: list[tuple[ast.expr, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if not children_done:
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(_operands(node)))
            continue
        args = [results.pop(id(child)) for child in _operands(node)]
        results[id(node)] = _apply(node, args, leaves)
    return results[id(root)]


def _operands(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.BinOp):
        return [node.left, node.right]
    if isinstance(node, ast.UnaryOp):
        return [node.operand]
    if isinstance(node, ast.Call):
        return list(node.args)
    return []


def _apply(node: ast.expr, args: list[Value], leaves: Mapping[str, Value]) -> Value:
    if isinstance(node, ast.Constant):
        try:
            return Value(node.value, requires_grad=False)
        except OverflowError:
            raise ExpressionError(f"the number at column {node.col_offset + 1} is too large") from None
    if isinstance(node, ast.Name):
        return leaves[node.id]
    if isinstance(node, ast.BinOp):
        return _OPERATORS[type(node.op)](*args)
    if isinstance(node, ast.UnaryOp):
        return -args[0]
    if isinstance(node, ast.Call):
        return FUNCTIONS[node.func.id][1](*args)
    raise ExpressionError(f"cannot evaluate {type(node).__name__}")  # unreachable after _check


def _check(tree: ast.Expression) -> None:
    """Refuse the first construct (in reading order) that is not allowed."""
    called = _called(tree)
    problems = [(getattr(n, "lineno", 0), getattr(n, "col_offset", 0), why)
                for n in ast.walk(tree) for why in [_refusal(n, called)] if why]
    if problems:
        problems.sort(key=lambda p: p[:2])  # stable: the outermost construct first
        line, column, why = problems[0]
        raise ExpressionError(f"{why} at column {column + 1} is not allowed; allowed are numbers, "
                              f"variables, + - * / **, unary minus, parentheses and calls of "
                              f"{', '.join(FUNCTIONS)}")


def _refusal(node: ast.AST, called: set[int]) -> str:
    """Why ``node`` is not allowed, or '' when it is (``called``: see :func:`_called`)."""
    if isinstance(node, (ast.Expression, ast.expr_context, ast.operator, ast.unaryop, ast.cmpop,
                         ast.boolop, ast.keyword, ast.arguments, ast.arg, ast.comprehension)):
        return ""  # parts of a construct: judged with it
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"the {type(value).__name__} {value!r:.20}"
        return ""
    if isinstance(node, ast.Name):
        if node.id.startswith("_"):
            return f"the name {node.id!r} (names starting with _)"
        if node.id in FUNCTIONS and id(node) not in called:
            return f"the function name {node.id!r} used as a variable"
        return ""
    if isinstance(node, ast.BinOp):
        if type(node.op) in _OPERATORS:
            return ""
        return f"the operator {_OPERATOR_TEXT.get(type(node.op), type(node.op).__name__)}"
    if isinstance(node, ast.UnaryOp):
        if isinstance(node.op, ast.USub):
            return ""
        return {ast.UAdd: "unary plus", ast.Not: "'not'", ast.Invert: "the operator ~"}[type(node.op)]
    if isinstance(node, ast.Call):
        return _call_refusal(node)
    return _CONSTRUCTS.get(type(node), f"the construct {type(node).__name__}")


def _call_refusal(node: ast.Call) -> str:
    if not isinstance(node.func, ast.Name):
        return f"calling the result of {_CONSTRUCTS.get(type(node.func), 'an expression')}"
    name = node.func.id
    if name not in FUNCTIONS:
        return f"the call {name}()"
    if node.keywords:
        return f"a keyword argument in {name}()"
    if any(isinstance(a, ast.Starred) for a in node.args):
        return f"a starred argument in {name}()"
    arity = FUNCTIONS[name][0]
    if len(node.args) != arity:
        return f"{name}() with {len(node.args)} argument{'s' * (len(node.args) != 1)} (it takes {arity})"
    return ""


def _called(tree: ast.Expression) -> set[int]:
    """The ids of the nodes of ``tree`` that are called (the ``f`` of ``f(x)``)."""
    return {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}


def _syntax_message(text: str, err: SyntaxError) -> str:
    """A syntax error with its position, naming assignments and statements."""
    try:
        module = ast.parse(text, mode="exec")
    except (SyntaxError, RecursionError, MemoryError, ValueError):
        module = None
    if module is not None and module.body and not isinstance(module.body[0], ast.Expr):
        statement = module.body[0]
        kind = {ast.Assign: "assignment", ast.AugAssign: "assignment", ast.AnnAssign: "assignment",
                ast.Import: "import", ast.ImportFrom: "import"}.get(type(statement),
                                                                   f"the statement {type(statement).__name__}")
        return f"{kind} at column {statement.col_offset + 1} is not allowed: write one expression, such as (x + y) * z"
    if module is not None and len(module.body) > 1:
        return "write one expression, not several statements"
    column = err.offset or 0
    if err.lineno and err.lineno > 1 or not 0 < column <= len(text):
        return f"syntax error at the end of the expression: {err.msg}"
    return f"syntax error at column {column}: {err.msg}"
