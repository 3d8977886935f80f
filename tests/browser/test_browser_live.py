"""The live training view in a real kernel (nbclient) and in Chromium: one output updated
in place while training runs, and the saved page played step by step."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
nbconvert = pytest.importorskip("nbconvert")
pytestmark = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot not installed")

TRAIN = """
import nn
from nn.data import make_moons
from nn.live import LiveView, start_live_view
X, y = make_moons(40, noise=0.1, seed=0)
labels = [2 * int(t) - 1 for t in y]
model = nn.MLP(2, [8, 1], seed=0)
optimizer = nn.SGD(model.parameters(), lr=0.5)
history = nn.History()
view = start_live_view(LiveView(every=2), model=model, X=X, y=labels, steps=6, history=history)
for k in range(6):
    scores = [model(x) for x in X.tolist()]
    loss = nn.hinge_loss(scores, labels)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    history.loss.append(loss.data)
    history.accuracy.append(nn.binary_accuracy(scores, labels))
    view.step(k, history)
view.close(history)
print(type(view).__name__, [f.step for f in view.frames])
"""


class CountingClient(nbclient.NotebookClient):
    """Runs a notebook and keeps the type of every message its kernel sent back."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.message_types: list[str] = []

    def process_message(self, msg, cell, cell_index):
        self.message_types.append(msg["msg_type"])
        return super().process_message(msg, cell, cell_index)


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> tuple[object, CountingClient, Path]:
    folder = tmp_path_factory.mktemp("live")
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(TRAIN.strip()),
                      nbformat.v4.new_code_cell(f'view.save({str(folder / "training.html")!r}, title="moons")')]
    client = CountingClient(notebook, timeout=120, kernel_name="python3")
    client.execute()
    return notebook, client, folder


def test_one_output_is_updated_in_place_while_training(executed) -> None:
    notebook, client, _ = executed
    outputs = notebook.cells[0].outputs
    displays = [o for o in outputs if o.output_type == "display_data"]
    assert len(displays) == 2, outputs  # the view's progress line, and the view
    progress, view = displays
    # the view at steps 2, 4 and 6, and the progress line at the end (and at most every 0.25 s before)
    assert client.message_types.count("update_display_data") >= 3 + 1
    assert "".join(o.text for o in outputs if o.output_type == "stream") == "LiveView [2, 4, 6]\n"
    assert progress.data["text/plain"].startswith("train: step 6 / 6   loss ")
    assert view.data["text/plain"] == (
        "live training view: step 6 / 6   loss " + view.data["text/plain"].split("loss ")[1])
    assert view.data["text/html"].count("<img") == 2


def test_the_live_output_shows_in_the_exported_notebook(page, executed, tmp_path, screenshot) -> None:
    notebook, _, _ = executed
    body, _ = nbconvert.HTMLExporter().from_notebook_node(notebook)
    path = tmp_path / "live.html"
    path.write_text(body, encoding="utf-8")
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:"))
               else route.abort())
    page.goto(path.as_uri())
    images = page.locator(".chainrule-live img")
    assert images.count() == 2
    for k in range(2):
        assert images.nth(k).evaluate("i => i.complete && i.naturalWidth > 0")
    box = page.locator(".jp-OutputArea-output:has(.chainrule-live)")
    assert box.evaluate("b => b.scrollWidth <= b.clientWidth + 1")
    assert "step 6 / 6" in images.nth(0).get_attribute("alt")
    screenshot(page, "live-view-exported", full_page=True)


def test_the_saved_history_plays_step_by_step(page, executed, screenshot) -> None:
    _, _, folder = executed
    page.goto((folder / "training.html").as_uri())
    player = page.locator(".chainrule-player[data-ready]")
    assert player.locator(".cr-title").inner_text() == "moons"
    counter = player.locator(".cr-counter")
    assert counter.inner_text() == "step 1 / 3"
    player.focus()
    page.keyboard.press("ArrowRight")
    assert counter.inner_text() == "step 2 / 3"
    page.keyboard.press("z")
    assert player.locator(".cr-view img").evaluate("i => i.getBoundingClientRect().width === i.naturalWidth")
    page.keyboard.press("End")
    assert counter.inner_text() == "step 3 / 3"
    screenshot(page, "live-view-saved-page")
