"""Names for a drawing: parameters by their dotted names, and the modules they belong to.

``names=`` is a model (any object with ``named_parameters()``, such as an
``nn.Module``) or a mapping from name to node.  A parameter named
``layers.0.neurons.1.w.0`` belongs to the module ``layers.0.neurons.1`` (its
name without the trailing list indices and the attribute), which sits inside
the module ``layers.0`` (the longest prefix ending in a list index).  autograd
never imports ``nn``: the structure is read from the names alone.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Mapping

from ..core.graph import Node

COLLAPSE_LEVELS = ("neuron", "layer")
"""The values ``collapse=`` accepts (besides None): collapse the modules that hold
parameters themselves (``"neuron"``), or the modules around those (``"layer"``)."""


def parameter_names(names: Any) -> dict[Node, str]:
    """node -> dotted name, from ``names``: an object with ``named_parameters()``
    or a mapping from name to node.  A node with two names keeps the first."""
    if callable(getattr(names, "named_parameters", None)):
        items = names.named_parameters()
    elif isinstance(names, Mapping):
        items = names.items()
    else:
        raise TypeError(
            "names= takes a model (an object with named_parameters(), such as an nn.Module) "
            f"or a mapping from name to node; got {type(names).__name__}: {names!r:.80}"
        )
    result: dict[Node, str] = {}
    for name, node in items:
        if not isinstance(name, str):
            raise TypeError(f"names=: every name must be a str, got {type(name).__name__}: {name!r:.80}")
        if not isinstance(node, Node):
            raise TypeError(
                f"names=: {name!r} names a {type(node).__name__}, not a node of a graph "
                "(a Value or a Tensor)"
            )
        result.setdefault(node, name)
    return result


def compiled_call_names(order: list[Node]) -> dict[str, Node]:
    """name -> parameter, for the parameters of the compiled calls in ``order``
    (``autograd.compile`` names them after the model's ``named_parameters()``):
    a drawing of a compiled model shows them by name when no ``names=`` is given."""
    names: dict[str, Node] = {}
    for node in order:
        op = node._op
        labels = getattr(op, "parameter_names", ()) if op is not None else ()
        if labels:
            names.update(zip(labels, node._prev[len(node._prev) - len(labels):]))
    return names


def owner(name: str) -> str:
    """The module holding the parameter ``name``: ``'layers.0.neurons.1.w.0'`` ->
    ``'layers.0.neurons.1'``; ``''`` for a parameter of the model itself."""
    parts = name.split(".")
    while parts and parts[-1].isdigit():
        parts.pop()
    return ".".join(parts[:-1])


def enclosing(module: str) -> str:
    """The module around ``module``: its longest proper prefix that ends in a list
    index (``'layers.0.neurons.1'`` -> ``'layers.0'``), or ``''`` for none."""
    parts = module.split(".")
    for k in range(len(parts) - 1, 0, -1):
        if parts[k - 1].isdigit():
            return ".".join(parts[:k])
    return ""


def relative(name: str, module: str) -> str:
    """``name`` as seen inside ``module``: ``('layers.0.neurons.1.w.0', 'layers.0.neurons.1')`` -> ``'w.0'``."""
    return name[len(module) + 1:] if module and name.startswith(module + ".") else name


@dataclass
class Modules:
    """Which module each node is drawn in, and how the modules nest.

    ``of[node]`` is the innermost module of a node (nodes outside every
    module are absent); ``parent[module]`` the module around it (``''`` for
    none); ``order`` lists the modules, outer ones first.
    """

    of: dict[Node, str]
    parent: dict[str, str]
    order: list[str]

    def chain(self, module: str) -> list[str]:
        """``module`` and the modules around it, innermost first."""
        chain = []
        while module:
            chain.append(module)
            module = self.parent[module]
        return chain


def assign_modules(order: list[Node], name_of: dict[Node, str]) -> Modules:
    """Put each node of ``order`` (parents before children) into a module.

    A named parameter is in its owner.  An operation that reads parameters of
    one module and at least one input that is not a parameter (the module's
    input, e.g. ``b + Σ w x`` or ``x @ W``) is in that module; so is a one-input
    operation (an activation) applied to a value of that module used nowhere
    else, and a constant used only there.  Everything else is outside.
    """
    uses: Counter[Node] = Counter(p for node in order for p in node._prev)
    of: dict[Node, str] = {}
    for node in order:
        name = name_of.get(node)
        if name is not None:
            if owner(name):
                of[node] = owner(name)
            continue
        parents = node._prev
        if not parents:
            continue
        owners = {owner(name_of[p]) for p in parents if p in name_of}
        if owners:
            if len(owners) == 1 and any(p not in name_of for p in parents):
                (module,) = owners
                if module:
                    of[node] = module
        elif len(parents) == 1 and parents[0] in of and uses[parents[0]] == 1:
            of[node] = of[parents[0]]
    for node in order:
        if node in of:
            for p in node._prev:
                if not p._prev and not p.requires_grad and p not in name_of and uses[p] == 1:
                    of[p] = of[node]
    parent: dict[str, str] = {}
    for module in of.values():  # in the order the nodes come
        while module and module not in parent:
            outer = enclosing(module)
            parent[module] = outer
            module = outer
    first = {m: k for k, m in enumerate(parent)}
    modules = Modules(of, parent, [])
    modules.order = sorted(parent, key=lambda m: (len(modules.chain(m)), first[m]))
    return modules


def collapsed_modules(modules: Modules, name_of: dict[Node, str], level: str | None) -> set[str]:
    """The modules drawn as one box at ``level``: ``None`` (none), ``"neuron"``
    (every module that holds parameters itself) or ``"layer"`` (the module around
    each of those, or the module itself when nothing is around it)."""
    if level is None:
        return set()
    if level not in COLLAPSE_LEVELS:
        raise ValueError(
            f"collapse= must be None or one of {', '.join(repr(v) for v in COLLAPSE_LEVELS)}; got {level!r}"
        )
    owners = {owner(name) for name in name_of.values()} & set(modules.parent)
    if level == "layer":
        owners = {modules.parent[m] or m for m in owners}
    # a box inside another box is drawn as part of the outer one
    return {m for m in owners if not any(outer in owners for outer in modules.chain(m)[1:])}
