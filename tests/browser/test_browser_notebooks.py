"""The committed notebooks exported to HTML with nbconvert and opened in Chromium:
no output is wider than its column, and the players in them work."""
from __future__ import annotations

from pathlib import Path

import pytest

nbconvert = pytest.importorskip("nbconvert")

NOTEBOOKS = sorted((Path(__file__).parents[2] / "notebooks").glob("*.ipynb"))
COLUMN_PAGE_WIDTH = 1280  # a laptop browser window; JupyterLab's column is then about 1,100 px

# every output box, its width, and how far its content reaches (0 when it fits)
MEASURE = r"""() => Array.from(document.querySelectorAll('.jp-OutputArea-output'), (box, index) => {
    const cell = box.closest('.jp-Cell');
    const cells = Array.from(document.querySelectorAll('.jp-Cell'));
    const prompt = cell.querySelector('.jp-InputPrompt');
    return {cell: cells.indexOf(cell) + 1, prompt: prompt ? prompt.textContent.replace(/\s+/g, ' ').trim() : '',
            column: Math.round(box.clientWidth),
            content: Math.round(box.scrollWidth), kind: box.className};
})"""


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("exported")
    exporter = nbconvert.HTMLExporter()
    pages = {}
    for notebook in NOTEBOOKS:
        body, _ = exporter.from_filename(str(notebook))
        pages[notebook.stem] = folder / f"{notebook.stem}.html"
        pages[notebook.stem].write_text(body, encoding="utf-8")
    return pages


def open_offline(page, path: Path) -> None:
    """Open ``path`` with every network request refused (the CDN scripts of the template)."""
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:"))
               else route.abort())
    page.set_viewport_size({"width": COLUMN_PAGE_WIDTH, "height": 900})
    page.goto(path.as_uri())


@pytest.mark.parametrize("name", [p.stem for p in NOTEBOOKS])
def test_no_output_is_wider_than_its_column(page, exported, name, screenshot) -> None:
    open_offline(page, exported[name])
    page.wait_for_load_state("load")
    boxes = page.evaluate(MEASURE)
    assert boxes, f"{name}: no outputs found in the exported HTML"
    screenshot(page, f"notebook-{name}", full_page=True)
    too_wide = [f"cell {b['cell']} {b['prompt']} {b['content']} px in a {b['column']} px column"
                for b in boxes if b["content"] > b["column"] + 1]
    assert not too_wide, f"{name}: outputs wider than the column: " + "; ".join(too_wide)


@pytest.mark.parametrize("name", ["02_gradient_flow", "03_training_an_mlp"])
def test_every_player_in_the_notebook_works(page, exported, name) -> None:
    open_offline(page, exported[name])
    players = page.locator(".chainrule-player")
    assert players.count() >= 1, f"{name} shows no player"
    for k in range(players.count()):
        player = players.nth(k)
        assert player.get_attribute("data-ready") == "1"
        counter = player.locator(".cr-counter")
        total = counter.inner_text().split("/")[1].strip()
        player.locator(".cr-view").click()
        page.keyboard.press("End")
        assert counter.inner_text() == f"step {total} / {total}"
        page.keyboard.press("Home")
        assert counter.inner_text() == f"step 1 / {total}"
