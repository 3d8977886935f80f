"""What :func:`nn.fit` calls while it trains, besides the training itself: the
:class:`Callback` interface, the progress bar and the live view behind it."""
from __future__ import annotations

from typing import Any, Protocol, Sequence

import numpy as np

from .history import History
from . import live as live_module
from .live import LiveView, start_live_view
from .module import Module


class Callback(Protocol):
    """Told by :func:`nn.fit` when training starts, after each step and when it
    ends (also when a step raised).  ``fit`` calls them in the order of its list."""

    def on_start(self, model: Module, X: np.ndarray, y: Sequence[Any], steps: int, history: History) -> None:
        """Before the first step: the model, the training rows and labels, how
        many steps will run, and the History that will be filled."""

    def on_step(self, k: int, history: History) -> None:
        """After step ``k`` (0-based), once ``history`` holds its values."""

    def on_end(self, history: History) -> None:
        """After the last step, or after the step that raised (only once ``on_start``
        has returned)."""


class ProgressBar:
    """A tqdm progress bar with the loss and batch accuracy of the latest step,
    and the latest validation loss and accuracy: in a notebook with ``ipywidgets``
    a notebook progress bar (``tqdm.notebook``), else text on stderr."""

    def __init__(self) -> None:
        self.bar: Any = None

    def on_start(self, model: Module, X: np.ndarray, y: Sequence[Any], steps: int, history: History) -> None:
        """Show the bar at 0 of ``steps``."""
        self.bar = progress_bar_class()(total=steps, desc="train", unit="step")

    def on_step(self, k: int, history: History) -> None:
        """Advance by one step and show the latest values of ``history``."""
        shown = {"loss": f"{history.loss[-1]:.4f}", "acc": f"{history.accuracy[-1]:.2f}"}
        if history.val_loss:
            shown.update(val_loss=f"{history.val_loss[-1]:.4f}", val_acc=f"{history.val_accuracy[-1]:.2f}")
        self.bar.set_postfix(shown, refresh=False)
        self.bar.update(1)

    def on_end(self, history: History) -> None:
        """Close the bar (it stays on screen)."""
        self.bar.close()


class LiveViewCallback:
    """The live view of ``fit(..., live=...)`` (see :mod:`nn.live`): ``live`` is True
    or a :class:`nn.LiveView`.  Outside Jupyter it shows nothing (a note says so)."""

    def __init__(self, live: bool | LiveView) -> None:
        self.live = live
        self.view: LiveView | None = None

    def on_start(self, model: Module, X: np.ndarray, y: Sequence[Any], steps: int, history: History) -> None:
        """Start the view (see :func:`nn.live.start_live_view`), or only print the note."""
        self.view = start_live_view(self.live, model=model, X=X, y=y, steps=steps, history=history)

    def on_step(self, k: int, history: History) -> None:
        """Redraw the view when it is due (see :meth:`nn.LiveView.step`)."""
        if self.view is not None:
            self.view.step(k, history)

    def on_end(self, history: History) -> None:
        """Draw the state training ended in (see :meth:`nn.LiveView.close`)."""
        if self.view is not None:
            self.view.close(history)


def progress_bar_class() -> Any:
    """``tqdm.notebook.tqdm`` (a widget) in a notebook where ``ipywidgets`` is
    installed, else the text bar ``tqdm.tqdm``, which a notebook shows as stderr."""
    if live_module.in_notebook():
        try:
            import ipywidgets  # noqa: F401  (tqdm.notebook needs it)
            from tqdm.notebook import tqdm as notebook_bar
            return notebook_bar
        except ImportError:
            pass
    from tqdm import tqdm  # imported when a bar is shown

    return tqdm


def fit_callbacks(progress: bool, live: bool | LiveView) -> list[Callback]:
    """The callbacks of ``fit(..., progress=..., live=...)``: the bar, then the live
    view.  In a notebook the live view shows the progress itself, so there is no bar."""
    callbacks: list[Callback] = []
    if progress and not (live and live_module.in_notebook()):
        callbacks.append(ProgressBar())
    if live:
        callbacks.append(LiveViewCallback(live))
    return callbacks
