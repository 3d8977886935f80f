"""How long a 500-frame step-through player takes to open in headless Chromium.

Target: under 2 s from navigation to the first frame shown, controls ready.
Frames are real backward steps drawn by Graphviz:
  small: a chain of 500 tanh nodes, each step drawn with max_nodes=40 (about 20 KB a frame);
  large: an MLP 2-16-16-1 on three samples, the first 500 of its steps, each drawn
         with max_nodes=60 (about 100 KB a frame).
Needs the Graphviz `dot` program, the `playwright` package and /usr/bin/chromium
(or CHROMIUM=path).  Run: python benchmarks/player_load.py
"""
from __future__ import annotations

import itertools
import os
import statistics
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

import nn
from autograd import Value, backward_frames, backward_steps, draw_graph
from autograd.drawing.player import animation_page

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def chain_frames(n: int = 500) -> list[str]:
    y = Value(0.5, label="x")
    for _ in range(n - 1):
        y = y.tanh()
    return backward_frames(y, max_nodes=40, max_frames=None)


def mlp_frames(n: int = 500) -> list[str]:
    """The first ``n`` backward steps of an MLP 2-16-16-1's outputs on three samples, added."""
    model = nn.MLP(2, [16, 16, 1], seed=0)
    samples = [(0.5, -0.3), (-1.0, 0.2), (0.1, 0.9)]
    out = sum((model([Value(a, label="x0"), Value(b, label="x1")]) for a, b in samples), Value(0.0))
    return [
        draw_graph(out, step=step, max_nodes=60, grad_width=8).pipe(format="svg", encoding="utf-8")
        for step in itertools.islice(backward_steps(out), n)
    ]


def open_seconds(browser, path: Path, frames: int) -> float:
    """Seconds from navigation until the player shows its first frame with controls ready."""
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    start = time.perf_counter()
    page.goto(path.as_uri())
    page.wait_for_function(
        "([n]) => { const p = document.querySelector('.chainrule-player[data-ready]');"
        " if (!p) return false; const img = p.querySelector('.cr-view img');"
        " return img.complete && img.naturalWidth > 0 && p.querySelector('.cr-counter').textContent === 'step 1 / ' + n; }",
        arg=[frames],
    )
    seconds = time.perf_counter() - start
    page.close()
    return seconds


def main() -> None:
    cases = {}
    t = time.perf_counter()
    cases["small"] = chain_frames()
    cases["large"] = mlp_frames()
    print(f"drew the frames in {time.perf_counter() - t:.1f} s")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), args=CHROMIUM_ARGS)
        for name, frames in cases.items():
            path = Path(tmp) / f"{name}.html"
            path.write_text(animation_page(frames, title=f"{len(frames)} frames"), encoding="utf-8")
            times = [open_seconds(browser, path, len(frames)) for _ in range(3)]
            size = path.stat().st_size / 1e6
            print(f"{name}: {len(frames)} frames, {size:.1f} MB page, "
                  f"{sum(map(len, frames)) / len(frames) / 1e3:.0f} KB per frame: opens in "
                  f"{statistics.median(times):.2f} s (median of 3; {', '.join(f'{s:.2f}' for s in times)}); target < 2 s")
        browser.close()


if __name__ == "__main__":
    main()
