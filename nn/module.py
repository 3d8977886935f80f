"""Module: the bookkeeping every model shares (parameters, modes, state dicts).

A parameter is any ``autograd`` node (a Value or a Tensor) held in an
attribute of a module, directly or inside a list or tuple attribute.  A child
module is any Module held the same way.  Names are dotted paths of attribute
names and list indices, in definition order: ``layers.0.neurons.3.w.1``.
"""
from __future__ import annotations

from typing import Any, Iterable, Iterator, Mapping

import numpy as np

import autograd


def clear_grads(params: Iterable[autograd.Node]) -> None:
    """Zero the gradient of every parameter, ready for the next ``backward()``.

    A parameter whose data is a Python float (a Value) gets ``grad = 0.0``, the
    value a fresh Value starts with.  Any other parameter (a Tensor holding a
    numpy array) gets ``grad = None``, meaning "no gradient yet", as PyTorch's
    ``zero_grad(set_to_none=True)``; optimizers skip parameters whose grad is None.
    """
    for p in params:
        p.grad = 0.0 if isinstance(p.data, float) else None


def _items(obj: Any, prefix: str, seen: set[int] | None = None) -> Iterator[tuple[str, Any]]:
    """(dotted name, member) for an attribute value: itself, or each list/tuple item
    (nested lists too; a list that contains itself is walked once)."""
    if isinstance(obj, (list, tuple)):
        seen = set() if seen is None else seen
        if id(obj) in seen:
            return
        seen.add(id(obj))
        for i, item in enumerate(obj):
            yield from _items(item, f"{prefix}.{i}", seen)
    else:
        yield prefix, obj


def _check_mapping(state: Any) -> None:
    """A state dict must map parameter names (strings) to arrays: a TypeError
    saying what to write instead otherwise."""
    if not isinstance(state, Mapping):
        hint = "; for a list of (name, array) pairs write dict(pairs)" if isinstance(state, (list, tuple)) else ""
        raise TypeError(f"load_state_dict takes a mapping of parameter name to array (such as "
                        f"model.state_dict()), got {type(state).__name__}{hint}")
    for key in state:
        if not isinstance(key, str):
            raise TypeError(f"state dict keys must be parameter names (strings such as 'layers.0.W'), "
                            f"got {type(key).__name__} {key!r}")


class Changes:
    """How many times a parameter, a child module or a list of them was put in place in
    any Module (an attribute assigned, a list item replaced, appended, removed ...).
    A compiled model compares it at each call, and walks the model's parameters only
    when it moved (see ``Module.structure_version``)."""

    count = 0


class WatchedList(list):
    """The lists nn's models hold (``neuron.w``, ``layer.neurons``, ``mlp.layers``,
    ``sequential.layers``): a plain list, except that changing its items counts as a
    change of the model (``Changes``), so that a compiled model sees a parameter replaced
    (``neuron.w[0] = Value(100.0)``) at its next call.  Use one for a list of parameters
    in your own Module to get the same (a plain list's items are checked only by a
    compiled model's ``zero_grad()`` and ``parameters()``)."""


def _counting(method: Any) -> Any:
    """``method`` of list, counting a change first."""
    def changed(self: WatchedList, *args: Any, **kwargs: Any) -> Any:
        Changes.count += 1
        return method(self, *args, **kwargs)
    changed.__name__ = method.__name__
    return changed


for _name in ("__setitem__", "__delitem__", "__iadd__", "__imul__", "append", "extend", "insert", "pop",
              "remove", "clear", "sort", "reverse"):
    setattr(WatchedList, _name, _counting(getattr(list, _name)))


class Module:
    """Base class of models: finds parameters and child modules by walking attributes.

    Subclasses just assign parameters (Values or Tensors) and child modules (or lists of
    them) to attributes and define ``__call__``.  ``training`` is True until
    :meth:`eval` is called.
    """

    training: bool = True

    def __setattr__(self, name: str, value: Any) -> None:
        """Set the attribute; putting a node, a module or a list in place counts as a change
        of the model's structure (``Changes``)."""
        if isinstance(value, (autograd.Node, Module, list, tuple)):
            Changes.count += 1
        object.__setattr__(self, name, value)

    @property
    def structure_version(self) -> int:
        """A number that changes whenever a parameter or child module of any Module may have
        been replaced (``Changes``): ``autograd.compile`` checks its parameters again then."""
        return Changes.count

    def _members(self) -> Iterator[tuple[str, Any]]:
        """(name, value) for every parameter and child module directly held, in order."""
        for name, value in vars(self).items():
            for item_name, item in _items(value, name):
                if isinstance(item, (Module, autograd.Node)):
                    yield item_name, item

    def named_modules(self, prefix: str = "") -> Iterator[tuple[str, "Module"]]:
        """(dotted name, module) for this module (name ``prefix``) and every descendant,
        depth first in definition order, each module once under the first name it is
        reached by, as in PyTorch.  A module that refers back to itself or to an
        ancestor (a cycle) is therefore fine, and the walk is iterative (no recursion)."""
        seen = {id(self)}
        yield prefix, self
        stack = [(prefix, self._members())]
        while stack:
            name, members = stack[-1]
            for member_name, member in members:
                if isinstance(member, Module) and id(member) not in seen:
                    seen.add(id(member))
                    full = f"{name}.{member_name}" if name else member_name
                    yield full, member
                    stack.append((full, member._members()))
                    break
            else:
                stack.pop()

    def named_parameters(self, prefix: str = "") -> Iterator[tuple[str, autograd.Node]]:
        """(dotted name, parameter) for every parameter, in definition order, each once."""
        seen: set[int] = set()
        for module_name, module in self.named_modules(prefix):
            for name, member in module._members():
                if isinstance(member, autograd.Node) and id(member) not in seen:
                    seen.add(id(member))
                    yield (f"{module_name}.{name}" if module_name else name), member

    def parameters(self) -> list[autograd.Node]:
        """Every parameter, in the order of :meth:`named_parameters`."""
        return [p for _, p in self.named_parameters()]

    def zero_grad(self) -> None:
        """Zero every parameter's gradient (see :func:`clear_grads`)."""
        clear_grads(self.parameters())

    def train(self, mode: bool = True) -> "Module":
        """Set ``training = mode`` on this module and every descendant; return self.
        ``mode`` must be True or False (``train('no')`` is refused, as in PyTorch)."""
        if not isinstance(mode, (bool, np.bool_)):
            raise ValueError(f"training mode must be True or False, got {type(mode).__name__} {mode!r}")
        for _, module in self.named_modules():
            module.training = bool(mode)
        return self

    def eval(self) -> "Module":
        """Evaluation mode, ``train(False)``; return self."""
        return self.train(False)

    def state_dict(self) -> dict[str, np.ndarray]:
        """A copy of every parameter's data as a float64 numpy array (shape ``()``
        for a Value), keyed by dotted name.  Changing it does not change the model."""
        return {name: np.array(p.data, dtype=np.float64) for name, p in self.named_parameters()}

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        """Copy ``state``'s entries into the parameters' data.

        ``state`` is a mapping of parameter name to array (what :meth:`state_dict`
        returns); a list of ``(name, array)`` pairs or a key that is not a name is
        refused with a TypeError.  All or nothing: if any parameter has no entry,
        any entry names no parameter, or any entry is not an array of real numbers
        of its parameter's shape, a ``ValueError`` names all of them and no
        parameter changes.
        """
        _check_mapping(state)
        params = dict(self.named_parameters())
        arrays, not_numbers = {}, []
        for name in params:
            if name in state:
                try:
                    arrays[name] = np.asarray(state[name])
                except (ValueError, TypeError, RuntimeError):  # a ragged list; a torch tensor needing grad
                    not_numbers.append(name)
        not_numbers += [name for name, a in arrays.items() if a.dtype.kind not in "biuf"]
        problems = {
            "missing entries": [name for name in params if name not in state],
            "unexpected entries": [name for name in state if name not in params],
            "shapes differ": [f"{name}: model {np.shape(params[name].data)}, state {a.shape}"
                              for name, a in arrays.items() if name not in not_numbers
                              and a.shape != np.shape(params[name].data)],
            "not arrays of real numbers": not_numbers,
        }
        if any(problems.values()):
            raise ValueError(f"cannot load state into {type(self).__name__} (model unchanged): "
                             + " | ".join(f"{what}: {', '.join(names)}" for what, names in problems.items() if names))
        for name, p in params.items():
            a = arrays[name]
            p.data = float(a) if isinstance(p.data, float) else np.array(a, dtype=p.data.dtype)

    def extra_repr(self) -> str:
        """The text inside this module's parentheses in its repr (empty by default)."""
        return ""

    def __repr__(self) -> str:
        return self._repr(set())

    def _repr(self, shown: set[int]) -> str:
        """The repr, children indented; a module already shown (shared, or an
        ancestor in a cycle) appears as ``<Name, shown above>``."""
        shown.add(id(self))
        children = [(n, m) for n, m in self._members() if isinstance(m, Module)]
        if not children:
            return f"{type(self).__name__}({self.extra_repr()})"
        lines = [f"{type(self).__name__}({self.extra_repr()}"]
        for name, child in children:
            if id(child) in shown:
                text = f"<{type(child).__name__}, shown above>"
            elif type(child).__repr__ is not Module.__repr__:  # a subclass's own one-line repr
                text = repr(child)
            else:
                text = child._repr(shown)
            lines.append(f"  ({name}): " + text.replace("\n", "\n  "))
        return "\n".join(lines) + "\n)"
