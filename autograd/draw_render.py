"""The drawing object: a ``graphviz.Digraph`` whose rendering fails clearly without Graphviz."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

import graphviz

INSTALL_HELP = (
    "Graphviz's '{program}' program was not found on PATH, so the graph cannot be "
    "rendered (its DOT source is still available as .source). Install Graphviz, "
    "then restart Python or the Jupyter kernel:\n"
    "  Debian/Ubuntu:  sudo apt-get install graphviz\n"
    "  macOS:          brew install graphviz\n"
    "  conda:          conda install -c conda-forge graphviz\n"
    "(the Python package 'graphviz' alone is not enough: it calls the program)."
)


class GraphvizNotFoundError(graphviz.ExecutableNotFound):
    """Rendering needs Graphviz's layout program (``dot``), which is not installed.

    A subclass of ``graphviz.ExecutableNotFound`` (itself a ``RuntimeError``),
    with a message saying how to install Graphviz with apt, brew and conda.
    """

    def __init__(self, program: str = "dot") -> None:
        RuntimeError.__init__(self, INSTALL_HELP.format(program=program))


@contextmanager
def _clear_error(program: str) -> Iterator[None]:
    try:
        yield
    except GraphvizNotFoundError:
        raise
    except graphviz.ExecutableNotFound:
        raise GraphvizNotFoundError(program) from None


class GraphDrawing(graphviz.Digraph):
    """A ``graphviz.Digraph`` returned by :func:`autograd.draw_graph`.

    Use it like any Digraph: ``.source`` is the DOT text, ``.pipe("svg")``,
    ``.render("f", format="png")`` and Jupyter's inline svg display render it.
    Without the Graphviz program, these raise :class:`GraphvizNotFoundError`
    (one message with install instructions) instead of graphviz's generic error.
    """

    def pipe(self, *args: Any, **kwargs: Any) -> Any:
        """The rendered graph as bytes (or str with ``encoding=``); see ``graphviz.Digraph.pipe``."""
        with _clear_error(kwargs.get("engine") or self.engine):
            return super().pipe(*args, **kwargs)

    def render(self, *args: Any, **kwargs: Any) -> str:
        """Save the source and render it to a file; see ``graphviz.Digraph.render``."""
        with _clear_error(kwargs.get("engine") or self.engine):
            return super().render(*args, **kwargs)

    def unflatten(self, *args: Any, **kwargs: Any) -> Any:
        """See ``graphviz.Digraph.unflatten``."""
        with _clear_error("unflatten"):
            return super().unflatten(*args, **kwargs)

    def _repr_mimebundle_(self, *args: Any, **kwargs: Any) -> dict:
        with _clear_error(self.engine):
            return super()._repr_mimebundle_(*args, **kwargs)
