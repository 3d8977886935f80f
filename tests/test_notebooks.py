"""The teaching notebooks: committed executed, and each re-runs top to bottom in a
fresh kernel with the same printed output (seeds are fixed)."""
from __future__ import annotations

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("*.ipynb"))


def _printed(nb) -> list[str]:
    """What each code cell printed to stdout, joined per cell: the kernel may split one
    cell's output into several stream outputs, differently from run to run."""
    return ["".join("".join(o.get("text", "")) for o in cell.get("outputs", [])
                    if o.get("output_type") == "stream" and o.get("name") == "stdout")
            for cell in nb.cells if cell.cell_type == "code"]


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 4


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_committed_executed_and_reruns_the_same(path):
    committed = nbformat.read(path, as_version=4)
    code_cells = [c for c in committed.cells if c.cell_type == "code"]
    assert code_cells and all(c.execution_count is not None for c in code_cells), \
        f"{path.name} is not committed executed: run python notebooks/build.py {path.stem}"
    fresh = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(fresh, timeout=120, kernel_name="python3",
                                     resources={"metadata": {"path": str(path.parent)}})
    client.execute()  # raises CellExecutionError naming the cell if any cell fails
    assert _printed(fresh) == _printed(committed)
