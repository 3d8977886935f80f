"""Rendering a drawing: which layout program runs, files, and the notebook display.

The layout program is Graphviz's ``dot`` when it is on PATH; otherwise
``graphviz-pure``, a pure-Rust port of ``dot`` installed from PyPI by
``pip install 'chainrule[render]'`` (in a virtual environment it sits beside
the Python executable, maybe not on PATH).  With neither, rendering raises
:class:`GraphvizNotFoundError`, whose message says how to install either; the
DOT source (``.source``) needs no program.
"""
from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import graphviz

from .player import svg_data_uri

FALLBACK = "graphviz-pure"
TIMEOUT_S = 120
"""A layout that takes longer than this is stopped with an error, never left hanging."""

INSTALL_HELP = (
    "No program to lay out the graph was found: neither Graphviz's 'dot' (on PATH) nor "
    "'graphviz-pure' (beside {python} or on PATH), so the graph cannot be rendered (its "
    "DOT source is still available as .source). Install one, then restart Python or the "
    "Jupyter kernel:\n"
    "  any system:     pip install 'chainrule[render]'   (graphviz-pure, svg and png)\n"
    "  Debian/Ubuntu:  sudo apt-get install graphviz\n"
    "  macOS:          brew install graphviz\n"
    "  conda:          conda install -c conda-forge graphviz\n"
    "(the Python package 'graphviz' alone is not enough: it calls the program)."
)


class GraphvizNotFoundError(graphviz.ExecutableNotFound):
    """Rendering needs a layout program (Graphviz's ``dot`` or ``graphviz-pure``),
    and neither is installed.

    A subclass of ``graphviz.ExecutableNotFound`` (itself a ``RuntimeError``),
    with a message saying how to install either (pip, apt, brew, conda).
    """

    def __init__(self, program: str = "dot") -> None:
        RuntimeError.__init__(self, INSTALL_HELP.format(python=sys.executable))


class RenderError(RuntimeError):
    """The layout program failed or ran too long; the message says what it printed."""


def layout_program() -> str | None:
    """The path of the program that renders drawings: ``dot`` when it is on PATH,
    else :func:`graphviz_pure`, else None."""
    return shutil.which("dot") or graphviz_pure()


def graphviz_pure() -> str | None:
    """The path of ``graphviz-pure``: beside the Python executable (a virtual
    environment's ``bin``, maybe not on PATH) or on PATH; None when it is not installed."""
    return shutil.which(FALLBACK, path=os.path.dirname(sys.executable)) or shutil.which(FALLBACK)


def require_layout_program() -> str:
    """:func:`layout_program`, or :class:`GraphvizNotFoundError` when there is none."""
    program = layout_program()
    if program is None:
        raise GraphvizNotFoundError()
    return program


def run_layout(source: str, fmt: str, program: str | None = None,
               options: tuple[str, ...] = ()) -> bytes:
    """Lay out the DOT ``source`` and render it as ``fmt`` (``"svg"``, ``"png"``,
    ``"pdf"`` ...); ``options`` are more command-line flags, such as ``-Gdpi=144``.
    A source holding several graphs gives their renderings one after another."""
    program = program or require_layout_program()
    command = [program, "-q", *options, f"-T{fmt}"]
    try:
        done = subprocess.run(command, input=source.encode("utf-8"), capture_output=True,
                              timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise RenderError(
            f"{Path(program).name} did not finish laying out the graph within {TIMEOUT_S} s; "
            "draw fewer values (max_nodes=...) or collapse modules (collapse='layer')"
        ) from None
    if done.returncode != 0 or not done.stdout:
        said = done.stderr.decode("utf-8", "replace").strip() or f"exit status {done.returncode}"
        raise RenderError(f"{Path(program).name} could not render {fmt}: {said}")
    return done.stdout


PNG_MAX_DPI = 144
"""Resolution of the notebook PNG: 1.5 pixels per CSS pixel, sharp on most screens ..."""
PNG_MAX_PIXELS = 2_000_000
"""... unless that would make more pixels than this (big PNGs are slow to render)."""


def png_dpi(width_pt: float, height_pt: float) -> int:
    """The resolution for a PNG of a drawing this big: :data:`PNG_MAX_DPI`, or less
    to stay within :data:`PNG_MAX_PIXELS` (and 2,400 pixels across)."""
    area_in2 = max(width_pt * height_pt, 1.0) / 72**2
    dpi = min(PNG_MAX_DPI, (PNG_MAX_PIXELS / area_in2) ** 0.5, 2400 * 72 / max(width_pt, 1.0))
    return max(8, int(dpi))


def render_svgs(sources: list[str], program: str | None = None) -> list[str]:
    """Several DOT sources rendered to SVG by one run of the layout program
    (much faster than one run each, e.g. for the frames of a step-through)."""
    if not sources:
        return []
    joined = run_layout("\n".join(sources), "svg", program)
    parts = [b"<?xml" + part for part in joined.split(b"<?xml")[1:]]
    if len(parts) != len(sources):
        raise RenderError(f"expected {len(sources)} SVG drawings from one run, got {len(parts)}")
    return [part.decode("utf-8") for part in parts]


_SVG_TAG = re.compile(rb"<svg\b[^>]*>")
_SIZE = re.compile(rb'\s(width|height)="([\d.]+)pt"')
_FONT_SIZE = re.compile(rb'font-size="([\d.]+)"')

READABLE_PX = 10.0
"""The smallest text a fitted drawing is shrunk to, in CSS pixels: a drawing
whose text would get smaller stops shrinking there and scrolls sideways inside
its own output instead."""


def svg_size_pt(svg: bytes) -> tuple[float, float]:
    """The natural width and height of a Graphviz SVG, in points."""
    tag = _SVG_TAG.search(svg)
    sizes = dict(_SIZE.findall(tag.group(0))) if tag else {}
    return float(sizes.get(b"width", 0)), float(sizes.get(b"height", 0))


def smallest_text_px(svg: bytes) -> float:
    """The size of the smallest text in a Graphviz SVG at its natural size, in CSS
    pixels (a point is 4/3 px); 0 when it has no text."""
    sizes = [float(size) for size in _FONT_SIZE.findall(svg)]
    return min(sizes) * 4 / 3 if sizes else 0.0


def fit_html(svg: bytes, description: str, fit: bool = True) -> str:
    """The HTML that shows a drawing in a notebook: the SVG as an ``<img>`` at its
    natural width, which the browser scales down to the column, never up.

    Front-ends differ: JupyterLab and Notebook 7 put an ``image/svg+xml`` output
    in an ``<img>`` that no style shrinks, so the drawing is sent as HTML, which
    every front-end (JupyterLab, Notebook 7, VS Code, Colab, nbconvert) lets
    shrink with ``max-width: 100%``.  The image never gets narrower than the width
    at which its smallest text is :data:`READABLE_PX`; a wider drawing scrolls
    sideways inside its output.  ``fit=False`` keeps the natural size."""
    width_pt, _ = svg_size_pt(svg)
    natural_px = round(width_pt * 4 / 3)
    if fit:
        smallest = smallest_text_px(svg)
        readable_px = natural_px * min(1.0, READABLE_PX / smallest) if smallest else 0
        style = f"max-width: 100%; min-width: {readable_px:.0f}px; height: auto"
    else:
        style = "max-width: none; height: auto"
    return (f'<div class="chainrule-drawing" style="overflow-x: auto">'
            f'<img src="{svg_data_uri(svg.decode("utf-8"))}" width="{natural_px}" '
            f'alt="{html.escape(description)}" style="{style}" /></div>')


def notebook_bundle(source: str, description: str, fit: bool = True,
                    program: str | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """What Jupyter shows for a drawing: ``(data, metadata)`` with the HTML of
    :func:`fit_html` (scaled down to the column when ``fit``), a PNG of the natural
    size for front-ends that show no HTML (GitHub, nbviewer, PDF export) and the
    text form ``description``."""
    program = program or require_layout_program()
    svg = run_layout(source, "svg", program)
    width_pt, height_pt = svg_size_pt(svg)
    png = run_layout(source, "png", program, (f"-Gdpi={png_dpi(width_pt, height_pt)}",))
    data = {"text/html": fit_html(svg, description, fit), "image/png": png, "text/plain": description}
    png_meta: dict[str, Any] = {"width": round(width_pt * 4 / 3)} if width_pt else {}
    if not fit:
        png_meta["unconfined"] = True
    return data, ({"image/png": png_meta} if png_meta else {})


class GraphDrawing(graphviz.Digraph):
    """A ``graphviz.Digraph`` returned by :func:`autograd.draw_graph`.

    ``.source`` is the DOT text (no program needed).  ``.pipe("svg")``,
    ``.render("f", format="png")`` and the Jupyter display run the layout
    program of :func:`layout_program` (``dot`` or ``graphviz-pure``).  In
    Jupyter a drawing shows as HTML holding the SVG (see :func:`fit_html`), with
    a PNG beside it (for GitHub, nbviewer and PDF export) and a text form such
    as ``graph of f: 5 values, 2 operations``; it is scaled down to fit the
    column, but not below readable text, unless ``fit`` is False.
    """

    description: str = "computation graph"
    fit: bool = True

    def pipe(self, format: str | None = None, *args: Any, encoding: str | None = None,
             **kwargs: Any) -> Any:
        """The rendered graph as bytes (or str with ``encoding=``), e.g. ``pipe("svg")``."""
        if args or any(v is not None for k, v in kwargs.items() if k in ("renderer", "formatter")):
            raise TypeError("GraphDrawing.pipe takes format= and encoding= only")
        out = run_layout(self.source, format or self.format)
        return out.decode(encoding) if encoding else out

    def render(self, filename: str | os.PathLike | None = None, directory: str | os.PathLike | None = None,
               view: bool = False, cleanup: bool = False, format: str | None = None,
               outfile: str | os.PathLike | None = None, **kwargs: Any) -> str:
        """Save the DOT source to ``filename`` (in ``directory``) and the rendering
        beside it as ``filename.format``, or to ``outfile`` (its suffix gives the
        format); ``cleanup=True`` removes the source.  Returns the rendering's path."""
        if view or kwargs:
            raise TypeError(f"GraphDrawing.render does not support {', '.join(['view'] * view + list(kwargs))}")
        if outfile is not None:
            outfile = Path(outfile)
            format = format or outfile.suffix.lstrip(".") or self.format
            source_path = outfile.with_suffix(".gv") if filename is None else Path(directory or "", filename)
            target = outfile
        else:
            format = format or self.format
            source_path = Path(directory or "", filename or self.filename)
            target = Path(f"{source_path}.{format}")
        out = run_layout(self.source, format)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not cleanup:
            source_path.write_text(self.source, encoding="utf-8")
        target.write_bytes(out)
        return str(target)

    def unflatten(self, *args: Any, **kwargs: Any) -> Any:
        """Not available: the drawing already chooses its direction and limits long edges."""
        raise NotImplementedError("unflatten is not available for chainrule drawings")

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None, **_: Any) -> tuple[dict, dict]:
        """HTML, PNG and the text form, for Jupyter (see :func:`notebook_bundle`)."""
        data, metadata = notebook_bundle(self.source, self.description, self.fit)
        if include:
            data = {k: v for k, v in data.items() if k in include}
        if exclude:
            data = {k: v for k, v in data.items() if k not in exclude}
        return data, metadata

    def __repr__(self) -> str:
        return f"<{self.description}>"
