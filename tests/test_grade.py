"""nn.grade (``chainrule grade``): full marks for the solution form, zero for the student
form, and a hostile set of submissions that never stops the run."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")

from nn import grade
from nn.course import EXERCISES

from tests.scripts import ROOT, load_script


build = load_script("notebooks/build.py")
TIMEOUT = 6  # seconds for a notebook's cells: the looping submission costs this much


def _with_cell(source_nb: Path, out: Path, code: str, at: int = 2) -> None:
    nb = nbformat.read(source_nb, as_version=4)
    nb.cells.insert(at, nbformat.v4.new_code_cell(code))
    nbformat.write(nb, out)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """One grading run over every solution, every student form and the hostile set."""
    base = tmp_path_factory.mktemp("grade")
    solutions = build.write_exercises(base / "solutions", student=False)
    students = build.write_exercises(base / "students", student=True)
    submissions = base / "submissions"
    submissions.mkdir()
    files = []
    for path in solutions:
        files.append(submissions / f"right_{path.stem}.ipynb")
        files[-1].write_bytes(path.read_bytes())
    for path in students:
        files.append(submissions / f"blank_{path.stem}.ipynb")
        files[-1].write_bytes(path.read_bytes())
    matmul = next(p for p in solutions if "matmul" in p.name)
    hostile = {
        "loop": "while True:\n    pass",
        "crash": "raise RuntimeError('boom')",
        "huge_output": "print('x' * 5_000_000)\nfor i in range(50_000):\n    print(i)",
        "remover": f"import os\nfor name in os.listdir({str(submissions)!r}):\n"
                   f"    if name.startswith('right_'):\n        os.remove(os.path.join({str(submissions)!r}, name))\n"
                   "for name in os.listdir('.'):\n    os.remove(name)",
        "exits": "import os\nos._exit(3)",
        "sys_exit": "import sys\nsys.exit('bye')",
    }
    for name, code in hostile.items():
        files.append(submissions / f"hostile_{name}.ipynb")
        _with_cell(matmul, files[-1], code, at=4 if name == "exits" else 2)
    files.append(submissions / "hostile_not_json.ipynb")
    files[-1].write_text("{this is not json")
    files.append(submissions / "hostile_no_cells.ipynb")
    files[-1].write_text(json.dumps({"hello": 1}))
    files.append(submissions / "missing_file.ipynb")  # never written
    out = base / "new" / "folder" / "grades.csv"
    status = grade.main([str(f) for f in files] + ["--out", str(out), "--feedback", str(base / "feedback"),
                                                   "--timeout", str(TIMEOUT)])
    with open(out, newline="") as f:
        rows = {row["student"]: row for row in csv.DictReader(f)}
    return status, rows, base / "feedback"


def test_the_run_succeeds_and_writes_one_row_per_student(graded):
    status, rows, _ = graded
    assert status == 0
    assert len(rows) == 2 * len(build.exercise_names()) + 6 + 3


def test_every_solution_scores_full_marks(graded):
    _, rows, _ = graded
    right = {k: r for k, r in rows.items() if k.startswith("right_")}
    assert len(right) == len(build.exercise_names())
    for student, row in right.items():
        assert row["status"] == "graded", (student, row["reason"])
        assert int(row["total"]) == int(row["max_total"]) > 0, student
        assert "fail" not in row.values()


def test_every_student_form_runs_to_the_end_and_scores_zero(graded):
    _, rows, feedback = graded
    blank = {k: r for k, r in rows.items() if k.startswith("blank_")}
    for student, row in blank.items():
        assert row["status"] == "graded", (student, row["reason"])  # no cell raised
        assert int(row["total"]) == 0 and int(row["max_total"]) > 0
    page = (feedback / "blank_06_matmul.html").read_text()
    assert "not written yet" in page


def test_the_hostile_submissions_are_graded_with_what_completed(graded):
    _, rows, feedback = graded
    assert rows["hostile_loop"]["status"] == "partial" and "time limit" in rows["hostile_loop"]["reason"]
    assert rows["hostile_crash"]["matmul"] == "pass" and "raised" in rows["hostile_crash"]["reason"]
    assert rows["hostile_huge_output"]["matmul"] == "pass"
    assert rows["hostile_remover"]["matmul"] == "pass"
    assert rows["hostile_exits"]["status"] == "partial" and "exit status 3" in rows["hostile_exits"]["reason"]
    assert rows["hostile_sys_exit"]["matmul"] == "pass"  # SystemExit in a cell is recorded, the run goes on
    assert "RuntimeError: boom" in (feedback / "hostile_crash.html").read_text()
    page = (feedback / "hostile_huge_output.html").read_text()
    assert len(page) < 100_000 and "more characters" in page


def test_deleting_the_other_submissions_changes_nothing_for_them(graded):
    _, rows, _ = graded
    assert rows["right_06_matmul"]["matmul"] == "pass"  # the remover deleted its file, after it was read


def test_files_that_are_not_notebooks_are_ungradable_with_the_reason(graded):
    _, rows, _ = graded
    assert rows["hostile_not_json"]["status"] == "ungradable"
    assert "not valid JSON" in rows["hostile_not_json"]["reason"]
    assert "no list of cells" in rows["hostile_no_cells"]["reason"]
    assert "cannot be read" in rows["missing_file"]["reason"]


def test_the_feedback_page_shows_the_drawing_of_a_wrong_gradient(tmp_path):
    solutions = build.write_exercises(tmp_path / "s", student=False)
    matmul = next(p for p in solutions if "matmul" in p.name)
    wrong = tmp_path / "wrong.ipynb"
    wrong.write_text(matmul.read_text().replace("dW = X.T @ G", "dW = X.T @ G * 2"))
    assert grade.main([str(wrong), "--out", str(tmp_path / "g.csv"), "--feedback", str(tmp_path / "fb")]) == 0
    page = (tmp_path / "fb" / "wrong.html").read_text()
    assert "dL/dW[" in page and "<svg" in page and "#d62728" in page


def test_teacher_mistakes_are_one_line_and_exit_status_2(tmp_path, capsys):
    assert grade.main(["x.ipynb", "--out", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err
    assert grade.main(["x.ipynb", "--out", str(tmp_path / "g.csv"), "--timeout", "0"]) == 2
    err = capsys.readouterr().err
    assert "--timeout" in err and len(err.strip().splitlines()) == 1
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert grade.main(["x.ipynb", "--out", str(blocker / "sub" / "g.csv")]) == 2
    assert "cannot be created" in capsys.readouterr().err


def testexercise_ids_are_read_from_the_cell_tags():
    nb = build.exercise_notebook("e06_matmul", student=True)
    assert grade.exercise_ids(json.loads(nbformat.writes(nb))) == ["matmul"]
    assert set(grade.exercise_ids(json.loads(nbformat.writes(nb)))) <= set(EXERCISES)
