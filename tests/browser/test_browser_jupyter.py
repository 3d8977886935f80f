"""The notebooks in real front-ends: JupyterLab and Notebook 7, in Chromium at 1280x900
with JupyterLab's file browser open, as a student runs them.

One Jupyter server (it serves both front-ends) is started for the session on
127.0.0.1 with a token, in a temporary folder holding copies of the notebooks and
of the README's examples, and is stopped by its PID at the end.  Checked:

- every committed notebook opens clean (not marked modified before anything runs);
- after running notebook 4 and the README's examples, no output is wider than its
  output area, and the drawings' text is at least 9 px on screen;
- a player steps with the arrow keys, and ``b`` pressed in it inserts no cell;
- ``fit(..., live=True)`` shows exactly one progress display.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest

from conftest import cannot_run

REPO = Path(__file__).parents[2]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
WINDOW = {"width": 1280, "height": 900}
MIN_TEXT_PX = 9.0
FRONT_ENDS = {"lab": "/lab/tree/{name}?reset&", "notebook7": "/notebooks/{name}?"}
"""Where each front-end opens a notebook (``reset``: JupyterLab opens it alone, not the last session's tabs)."""

# The README's examples that draw (Models by name, Matrix form), the defaults for a named
# 2-16-16-1 MLP, one neuron at a time, and a compiled model; then a player and a live run.
README_CELLS = [
    """from autograd import Value, draw_graph
x, y, z = Value(-2.0, label="x"), Value(5.0, label="y"), Value(-4.0, label="z")
f = (x + y) * z
f.backward()
draw_graph(f, edge_grads=True)""",
    """import nn
model = nn.MLP(2, [16, 16, 1], seed=0)
score = model([0.5, -0.3])
score.backward()
draw_graph(score, names=model, collapse="layer", edge_grads=True)""",
    "draw_graph(score, names=model)",
    'draw_graph(score, names=model, collapse="neuron")',
    """import numpy as np
from autograd import Tensor
X = Tensor(np.random.randn(100, 2), requires_grad=False)
W, b = Tensor(np.random.randn(2, 16)), Tensor(np.zeros(16))
loss = (X @ W + b).relu().mean()
loss.backward()
draw_graph(loss, edge_grads=True)""",
    """import autograd
fast_model = autograd.compile(model, [0.0, 0.0])
fast_score = fast_model([0.5, -0.3])
fast_score.backward()
draw_graph(fast_score)""",
]
PLAYER_CELL = """from autograd import Value, animation_html, backward_frames
a, w = Value(0.5, label="a"), Value(-3.0, label="w")
out = (w * a + 1).tanh()
out.label = "out"
animation_html(backward_frames(out))"""
LIVE_CELL = """import nn
from nn.data import make_moons
Xm, ym = make_moons(60, noise=0.1, seed=0)
live_model = nn.MLP(2, [8, 1], seed=0)
history = nn.fit(live_model, Xm, [2 * int(t) - 1 for t in ym], nn.hinge_loss,
                 nn.SGD(live_model.parameters(), lr=0.5), steps=40, live=True)"""

# every output area: its width, how far its content reaches, and the smallest text of
# each drawing in it (the SVG's smallest font size, in px, times the drawing's scale)
MEASURE = r"""() => Array.from(document.querySelectorAll('.jp-OutputArea-output'), box => {
    const cells = Array.from(document.querySelectorAll('.jp-Notebook .jp-Cell'));
    const texts = Array.from(box.querySelectorAll('img'), img => {
        const src = img.getAttribute('src') || '';
        if (!src.startsWith('data:image/svg+xml') || !img.naturalWidth) { return null; }
        const svg = src.includes(';base64,') ? atob(src.split(',')[1]) : decodeURIComponent(src.split(',')[1]);
        const sizes = Array.from(svg.matchAll(/font-size="([\d.]+)"/g), m => parseFloat(m[1]));
        if (!sizes.length) { return null; }
        const px = /<svg[^>]*width="[\d.]+pt"/.test(svg) ? 4 / 3 : 1;
        return Math.min(...sizes) * px * img.getBoundingClientRect().width / img.naturalWidth;
    }).filter(t => t !== null);
    return {cell: cells.indexOf(box.closest('.jp-Cell')) + 1, column: box.clientWidth,
            content: box.scrollWidth, smallest_text: texts.length ? Math.min(...texts) : null};
})"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_notebook(path: Path, sources: list[str]) -> None:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nbformat.write(nb, path)


@pytest.fixture(scope="session")
def jupyter(tmp_path_factory) -> Iterator[dict]:
    """A Jupyter server (JupyterLab and Notebook 7) on 127.0.0.1 with a token, serving
    a temporary folder of notebook copies; stopped by its PID at the end."""
    try:
        import jupyterlab  # noqa: F401
        import notebook  # noqa: F401
    except ImportError as missing:
        cannot_run(f"{missing.name} is not installed (pip install -e '.[dev]')")
    root = tmp_path_factory.mktemp("jupyter")
    folder = root / "notebooks"
    folder.mkdir()
    for notebook_path in NOTEBOOKS:
        shutil.copy(notebook_path, folder)
    write_notebook(folder / "readme_examples.ipynb", README_CELLS)
    write_notebook(folder / "player_and_live.ipynb", [PLAYER_CELL, LIVE_CELL])
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, "PYTHONPATH": str(REPO), "JUPYTER_CONFIG_DIR": str(root / "config"),
           "JUPYTER_RUNTIME_DIR": str(root / "runtime"), "JUPYTERLAB_WORKSPACES_DIR": str(root / "workspaces"),
           "JUPYTERLAB_SETTINGS_DIR": str(root / "settings")}
    log = open(root / "server.log", "wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", "--ServerApp.ip=127.0.0.1",
         f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={folder}"],
        env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    cannot_run(f"the Jupyter server did not start: see {root / 'server.log'}")
                time.sleep(0.5)
        yield {"base": base, "token": token, "folder": folder}
    finally:
        os.kill(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.kill(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


@pytest.fixture
def window(browser) -> Iterator:
    context = browser.new_context(viewport=WINDOW)
    page = context.new_page()
    yield page
    context.close()


def open_notebook(page, jupyter: dict, front_end: str, name: str) -> None:
    path = FRONT_ENDS[front_end].format(name=name)
    page.goto(f"{jupyter['base']}{path}token={jupyter['token']}")
    page.wait_for_selector(".jp-Notebook .jp-Cell >> visible=true", timeout=60_000)
    deadline = time.monotonic() + 60
    while not kernel_ready(jupyter, name):
        assert time.monotonic() < deadline, f"{front_end}: the kernel of {name} did not start"
        time.sleep(0.3)
    page.wait_for_timeout(1000)  # the front-end has read the kernel's info (and its language)


def kernel_ready(jupyter: dict, name: str) -> bool:
    """Whether the kernel of notebook ``name`` is running, idle and connected."""
    url = f"{jupyter['base']}/api/sessions?token={jupyter['token']}"
    sessions = json.load(urllib.request.urlopen(url, timeout=5))
    return any(s["path"].endswith(name) and s["kernel"]["execution_state"] == "idle"
               and s["kernel"]["connections"] > 0 for s in sessions)


def run_all(page, timeout_s: float = 240) -> None:
    """Run every cell (Run > Run All Cells) and wait until each has its number."""
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    page.wait_for_function("""() => {
        const prompts = Array.from(document.querySelectorAll('.jp-CodeCell .jp-InputPrompt'),
                                   p => p.textContent.trim());
        return prompts.length > 0 && prompts.every(p => /^\\[\\d+\\]:$/.test(p))
            || !!document.querySelector('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]');
    }""", timeout=timeout_s * 1000)
    errors = page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]')
    assert errors.count() == 0, f"a cell raised: {errors.first.inner_text()[:500]}"
    page.wait_for_timeout(1500)  # the last outputs render


def is_modified(page) -> bool:
    """Whether JupyterLab marks the open notebook modified (the dot on its tab)."""
    return page.evaluate("() => !!document.querySelector('.lm-TabBar-tab.jp-mod-dirty')")


@pytest.mark.parametrize("front_end", ["lab"])  # Notebook 7 shows no modified mark on open either way
def test_committed_notebooks_open_clean(jupyter, window, front_end, screenshot) -> None:
    modified = []
    for notebook_path in NOTEBOOKS:
        open_notebook(window, jupyter, front_end, notebook_path.name)
        if is_modified(window):
            modified.append(notebook_path.name)
            screenshot(window, f"{front_end}-modified-on-open-{notebook_path.stem}")
    assert not modified, f"{front_end} marks these notebooks modified on open: {modified}"


@pytest.mark.parametrize("name", ["04_matrix_form.ipynb", "readme_examples.ipynb"])
@pytest.mark.parametrize("front_end", list(FRONT_ENDS))
def test_outputs_fit_their_area_and_drawings_are_readable(jupyter, window, front_end, name, screenshot) -> None:
    open_notebook(window, jupyter, front_end, name)
    run_all(window)
    boxes = window.evaluate(MEASURE)
    screenshot(window, f"{front_end}-{Path(name).stem}-ran", full_page=True)
    drawings = [b for b in boxes if b["smallest_text"] is not None]
    assert drawings, f"{name} in {front_end}: no drawings found"
    print(f"{front_end} {name}: output areas {sorted({b['column'] for b in boxes})} px wide; smallest text "
          + ", ".join(f"cell {b['cell']} {b['smallest_text']:.1f} px" for b in drawings))
    too_wide = [f"cell {b['cell']}: {b['content']} px in {b['column']} px" for b in boxes
                if b["content"] > b["column"] + 1]
    assert not too_wide, f"{name} in {front_end}: outputs wider than their area: {too_wide}"
    too_small = [f"cell {b['cell']}: {b['smallest_text']:.1f} px" for b in drawings
                 if b["smallest_text"] < MIN_TEXT_PX]
    assert not too_small, f"{name} in {front_end}: text under {MIN_TEXT_PX} px: {too_small}"


@pytest.mark.parametrize("front_end", list(FRONT_ENDS))
def test_player_keys_and_one_progress_display(jupyter, window, front_end, screenshot) -> None:
    open_notebook(window, jupyter, front_end, "player_and_live.ipynb")
    run_all(window)
    cells_before = window.locator(".jp-Notebook .jp-Cell").count()
    player = window.locator(".chainrule-player").first
    counter = player.locator(".cr-counter")
    total = counter.inner_text().split("/")[1].strip()
    player.locator(".cr-view").click()
    window.keyboard.press("Home")
    window.keyboard.press("ArrowRight")
    assert counter.inner_text() == f"step 2 / {total}", f"{front_end}: ArrowRight did not step the player"
    window.keyboard.press("ArrowLeft")
    assert counter.inner_text() == f"step 1 / {total}", f"{front_end}: ArrowLeft did not step the player"
    for key in ["b", "a", "ArrowUp", "ArrowDown"]:
        window.keyboard.press(key)
    window.wait_for_timeout(300)
    assert window.locator(".jp-Notebook .jp-Cell").count() == cells_before, f"{front_end}: a key made a cell"
    screenshot(window, f"{front_end}-player-after-keys", full_page=True)
    live_cell = window.locator(".jp-Notebook .jp-Cell").nth(1)
    progress = live_cell.locator(".chainrule-progress, .widget-progress, .jp-RenderedText[data-mime-type="
                                 "'application/vnd.jupyter.stderr']")
    assert progress.count() == 1, f"{front_end}: {progress.count()} progress displays for live=True"
    assert "train: step 40 / 40" in live_cell.locator(".chainrule-progress").inner_text()
    screenshot(window, f"{front_end}-live-one-progress", full_page=True)
