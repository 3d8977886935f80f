"""Grading a class: ``chainrule grade SUBMISSION.ipynb... --out grades.csv [--feedback DIR]``.

Each submission (one notebook per student; the file name is the student) is run
in its own process, in a fresh temporary folder holding only a copy of it, with

* a time limit for running its cells (``--timeout``, default 120 s; each check
  then has its own limit, and a process that ignores them is killed),
* a memory limit (``--memory``, default 2048 MB, by ``resource.setrlimit``) and a
  limit on the size of files it writes,
* no network: the process runs in its own network namespace (``unshare -rn``)
  where the system allows it; otherwise sockets are refused inside Python,
* its printed output kept to the first 100,000 characters.

The cells run in order in one namespace (a cell that raises is recorded and the
next one runs; IPython ``%`` and ``!`` lines are skipped). Then every exercise of
the notebook (the cells tagged ``exercise:<id>``) is checked with
:func:`nn.course.evaluate` on the student's function, by its name in the
namespace; ``check(...)`` calls in the notebook itself do nothing while grading.

The CSV has one row per student: the status (graded, partial when the run was
stopped or a cell failed, ungradable with the reason when the file is not a
notebook), pass/fail and points per exercise, and the total. ``--feedback DIR``
writes one HTML page per student with the same messages and the drawings.
Every submission is read before any runs, so one that deletes files cannot
change what is graded after it. A grader that runs student code in-process
cannot stop a determined cheater from forging results (nbgrader cannot either):
read the feedback pages of surprising scores.
"""
from __future__ import annotations

import argparse
import csv
import html
import json
import linecache
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

OUTPUT_LIMIT = 100_000
"""Characters of a submission's printed output kept (the rest is counted, not stored)."""

FILE_LIMIT = 64 * 1024 * 1024
"""The largest file a submission may write, in bytes."""


class UsageError(ValueError):
    """A teacher's mistake on the command line: one line, exit status 2."""


@dataclass
class Outcome:
    """What grading one submission gave."""

    student: str
    path: str
    status: str = "graded"
    reason: str = ""
    exercises: list[str] = field(default_factory=list)
    results: dict[str, dict] = field(default_factory=dict)
    cells: list[dict] = field(default_factory=list)
    output: str = ""
    seconds: float = 0.0


# ---------------------------------------------------------------- inside the worker process

class _CappedOutput:
    """A text stream that keeps the first ``limit`` characters and counts the rest."""

    def __init__(self, limit: int) -> None:
        self.kept: list[str] = []
        self.size = 0
        self.limit = limit

    def write(self, text: Any) -> int:
        text = str(text)
        if self.size < self.limit:
            self.kept.append(text[: self.limit - self.size])
        self.size += len(text)
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def text(self) -> str:
        kept = "".join(self.kept)
        if self.size > self.limit:
            kept += f"\n... ({self.size - self.limit:,} more characters of output not kept)"
        return kept


def _limit_resources(memory_mb: int) -> None:
    import resource
    limits = [(resource.RLIMIT_AS, memory_mb * 1024 * 1024), (resource.RLIMIT_FSIZE, FILE_LIMIT),
              (resource.RLIMIT_CORE, 0)]
    for kind, value in limits:
        try:
            soft, hard = resource.getrlimit(kind)
            value = value if hard == resource.RLIM_INFINITY else min(value, hard)
            resource.setrlimit(kind, (value, hard))
        except (ValueError, OSError):
            pass
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a too-large write fails, it does not kill


def _refuse_sockets() -> None:
    """No network from Python (used where no network namespace could be made)."""
    import socket

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise OSError("no network while grading")

    socket.socket.connect = refuse  # type: ignore[method-assign]
    socket.socket.connect_ex = refuse  # type: ignore[method-assign]
    socket.getaddrinfo = refuse  # type: ignore[assignment]
    socket.create_connection = refuse  # type: ignore[assignment]


def _runnable(source: str) -> str:
    """A cell's source without IPython's ``%magic`` and ``!shell`` lines."""
    return "\n".join("pass  # (skipped while grading)" if line.lstrip().startswith(("%", "!")) else line
                     for line in source.splitlines())


def _save(path: str, state: dict) -> None:
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(state, f)
    os.replace(tmp, path)


def _drawing_svg(drawing: Any) -> str:
    if drawing is None:
        return ""
    try:
        svg = drawing.pipe("svg").decode("utf-8")
        return svg[svg.find("<svg"):]
    except Exception:  # no Graphviz program: the message alone
        return ""


def worker(notebook: str, result_path: str, timeout: float, memory_mb: int, isolated_network: bool) -> None:
    """Run one submission (in its own process) and write what it gave to ``result_path``."""
    _limit_resources(memory_mb)
    if not isolated_network:
        _refuse_sockets()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    output = _CappedOutput(OUTPUT_LIMIT)
    sys.stdout = sys.stderr = output  # type: ignore[assignment]
    from nn.course import EXERCISES, evaluate
    from nn.feedback import TimeLimitExceeded, student_line, time_limit

    with open(notebook, encoding="utf-8") as f:
        nb = json.load(f)
    cells = nb.get("cells", [])
    state: dict[str, Any] = {"cells": [], "results": {}, "output": "", "finished": False}
    namespace: dict[str, Any] = {"__name__": "__main__"}
    deadline = time.monotonic() + timeout
    for number, cell in enumerate(cells, 1):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            state["cells"].append({"cell": number, "error": "not run: the notebook's time limit was reached"})
            break
        name = f"<cell {number}>"
        text = _runnable(source)
        linecache.cache[name] = (len(text), None, text.splitlines(True), name)
        try:
            with time_limit(remaining):
                exec(compile(text, name, "exec"), namespace)
        except TimeLimitExceeded:
            state["cells"].append({"cell": number, "error": f"stopped: the notebook's time limit ({timeout:g} s) "
                                                           "was reached in this cell (a loop that never ends?)"})
            break
        except SyntaxError as error:
            state["cells"].append({"cell": number, "error": f"SyntaxError: {error.msg} (line {error.lineno})"})
        except BaseException as error:  # the student's code: recorded, and the next cell runs
            message = str(error).splitlines()[0] if str(error) else ""
            state["cells"].append({"cell": number,
                                   "error": f"{type(error).__name__}: {message}{student_line(error)}"})
        state["output"] = output.text()
        _save(result_path, state)
    os.environ.pop("CHAINRULE_GRADING", None)
    for exercise_id in exercise_ids(nb):
        exercise = EXERCISES.get(exercise_id)
        if exercise is None:
            state["results"][exercise_id] = {"passed": False, "points": 0, "max_points": 0,
                                             "message": f"unknown exercise {exercise_id!r}"}
            continue
        function = namespace.get(exercise.function)
        if function is None:
            result = {"passed": False, "points": 0, "max_points": exercise.points, "svg": "",
                      "message": f"there is no function named {exercise.function}: its cell did not run to "
                                 "the end (see the cell errors), or the function was renamed"}
        else:
            outcome = evaluate(exercise_id, function)
            result = {"passed": outcome.passed, "points": outcome.points, "max_points": outcome.max_points,
                      "message": outcome.message, "svg": _drawing_svg(outcome.drawing)}
        state["results"][exercise_id] = result
        state["output"] = output.text()
        _save(result_path, state)
    state["finished"] = True
    state["output"] = output.text()
    _save(result_path, state)
    os._exit(0)  # whatever threads or handlers the student left behind


def exercise_ids(nb: dict) -> list[str]:
    """The exercises of a notebook: its cells tagged ``exercise:<id>``, in order, once each."""
    ids: list[str] = []
    for cell in nb.get("cells", []):
        tags = cell.get("metadata", {}).get("tags", []) if isinstance(cell, dict) else []
        for tag in tags if isinstance(tags, list) else []:
            if isinstance(tag, str) and tag.startswith("exercise:") and tag[9:] not in ids:
                ids.append(tag[9:])
    return ids


# ---------------------------------------------------------------- the teacher's side

def _network_isolation() -> list[str]:
    """``["unshare", "-rn"]`` when this system lets a user make a network namespace, else []."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return []
    try:
        ok = subprocess.run([unshare, "-rn", "true"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.SubprocessError):
        ok = False
    return [unshare, "-rn"] if ok else []


_RUNNING: set[int] = set()
"""The process ids (= session and group ids) of the notebooks running now."""


def _kill(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _read_submission(path: Path) -> tuple[bytes | None, dict | None, str]:
    """The file's bytes and notebook, or the reason it cannot be graded."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return None, None, f"cannot be read: {error.strerror or error}"
    try:
        nb = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return data, None, f"not a notebook: the file is not valid JSON ({error})"
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        return data, None, "not a notebook: the JSON has no list of cells"
    return data, nb, ""


def grade_one(path: Path, student: str, data: bytes, nb: dict, timeout: float, memory_mb: int,
              prefix: list[str], grading_seconds: float) -> Outcome:
    """Run one submission in its own process and collect what it gave."""
    outcome = Outcome(student, str(path), exercises=exercise_ids(nb))
    start = time.monotonic()
    sandbox = tempfile.mkdtemp(prefix="chainrule-grade-")
    private = tempfile.mkdtemp(prefix="chainrule-result-")
    try:
        notebook = Path(sandbox) / path.name
        notebook.write_bytes(data)
        result_path = os.path.join(private, "result.json")
        package_root = str(Path(__file__).resolve().parent.parent)
        env = dict(os.environ, CHAINRULE_GRADING="1", MPLBACKEND="Agg", OPENBLAS_NUM_THREADS="1",
                   OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", PYTHONDONTWRITEBYTECODE="1",
                   PYTHONPATH=os.pathsep.join([package_root] + [p for p in [os.environ.get("PYTHONPATH")] if p]))
        code = ("import sys; from nn.grade import worker; "
                "worker(sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), sys.argv[5] == '1')")
        command = prefix + [sys.executable, "-c", code, str(notebook), result_path, str(timeout),
                            str(memory_mb), "1" if prefix else "0"]
        process = subprocess.Popen(command, cwd=sandbox, env=env, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        _RUNNING.add(process.pid)
        killed = False
        try:
            process.wait(timeout=timeout + grading_seconds + 30)
        except subprocess.TimeoutExpired:
            killed = True
        finally:
            _kill(process.pid)  # the worker and anything it started
            process.wait()
            _RUNNING.discard(process.pid)
        state: dict[str, Any] = {}
        try:
            with open(result_path) as f:
                state = json.load(f)
        except (OSError, json.JSONDecodeError):
            pass
        outcome.cells = state.get("cells", [])
        outcome.results = state.get("results", {})
        outcome.output = state.get("output", "")
        if not state.get("finished"):
            outcome.status = "partial"
            if killed:
                outcome.reason = "stopped: it ignored its time limits"
            elif process.returncode and process.returncode < 0:
                outcome.reason = (f"the process was killed by signal {-process.returncode}"
                                  + (" (out of memory?)" if -process.returncode in (9, 11) else ""))
            else:
                outcome.reason = f"the process ended early (exit status {process.returncode}); sys.exit or a crash?"
        elif any("time limit" in c.get("error", "") for c in outcome.cells):
            outcome.status, outcome.reason = "partial", "the notebook's time limit was reached"
        elif outcome.cells:
            outcome.status, outcome.reason = "partial", f"{len(outcome.cells)} cell(s) raised an error"
    finally:
        shutil.rmtree(sandbox, ignore_errors=True)
        shutil.rmtree(private, ignore_errors=True)
        outcome.seconds = time.monotonic() - start
    from nn.course import EXERCISES
    for exercise_id in outcome.exercises:
        if exercise_id not in outcome.results:
            points = EXERCISES[exercise_id].points if exercise_id in EXERCISES else 0
            outcome.results[exercise_id] = {"passed": False, "points": 0, "max_points": points, "svg": "",
                                            "message": f"not checked: {outcome.reason or 'the run stopped'}"}
    return outcome


class _Progress:
    """A progress bar over the submissions, on stderr."""

    def __init__(self, total: int, stream: Any = None) -> None:
        self.total, self.done, self.stream = total, 0, stream or sys.stderr
        self.start = time.monotonic()

    def step(self, name: str) -> None:
        self.done += 1
        width = 30
        filled = width * self.done // max(self.total, 1)
        bar = "#" * filled + "-" * (width - filled)
        end = "\n" if self.done == self.total or not self.stream.isatty() else ""
        self.stream.write(f"\rgrading [{bar}] {self.done}/{self.total} {time.monotonic() - self.start:5.0f}s "
                          f"{name[:30]:30}{end}")
        self.stream.flush()


def _students(paths: list[Path]) -> list[str]:
    stems = [p.stem for p in paths]
    return [p.stem if stems.count(p.stem) == 1 else str(p) for p in paths]


def write_csv(out: Path, outcomes: list[Outcome]) -> None:
    """One row per student: status, pass/fail and points per exercise, total, reason."""
    from nn.course import EXERCISES
    seen = {e for o in outcomes for e in o.exercises}
    columns = [e for e in EXERCISES if e in seen] + sorted(seen - set(EXERCISES))
    header = ["student", "status"]
    for e in columns:
        header += [e, f"{e}_points"]
    header += ["total", "max_total", "reason"]
    with open(out, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        for o in outcomes:
            row = [o.student, o.status]
            total = maximum = 0
            for e in columns:
                result = o.results.get(e)
                if result is None:
                    row += ["", ""]
                    continue
                row += ["pass" if result["passed"] else "fail", result["points"]]
                total += result["points"]
                maximum += result["max_points"]
            row += [total, maximum, o.reason]
            writer.writerow(row)


def feedback_page(o: Outcome) -> str:
    """The HTML page a student gets: each exercise's message and drawing, cell errors, output."""
    e = html.escape
    total = sum(r["points"] for r in o.results.values())
    maximum = sum(r["max_points"] for r in o.results.values())
    parts = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{e(o.student)}: feedback</title>",
             "<style>body{font-family:sans-serif;max-width:60em;margin:1em auto}"
             ".pass{color:#2ca02c}.fail{color:#d62728}pre{white-space:pre-wrap;background:#f6f6f6;padding:6px}"
             "svg{max-width:100%;height:auto}</style></head><body>",
             f"<h1>{e(o.student)}</h1><p>{total} of {maximum} points. Status: {e(o.status)}"
             f"{': ' + e(o.reason) if o.reason else ''}</p>"]
    for exercise_id in o.exercises or list(o.results):
        r = o.results.get(exercise_id, {})
        mark = ("pass", "✔ passed") if r.get("passed") else ("fail", "✘ not yet")
        parts.append(f"<h2>{e(exercise_id)} <span class='{mark[0]}'>{mark[1]}</span> "
                     f"({r.get('points', 0)}/{r.get('max_points', 0)})</h2><pre>{e(r.get('message', ''))}</pre>")
        if r.get("svg"):
            parts.append(f"<div class='drawing'>{r['svg']}</div>")
    if o.cells:
        parts.append("<h2>Cells that raised an error</h2><ul>")
        parts += [f"<li>cell {c['cell']}: {e(c['error'])}</li>" for c in o.cells]
        parts.append("</ul>")
    if o.output:
        shown = o.output[:5000] + (f"\n... ({len(o.output) - 5000:,} more characters)" if len(o.output) > 5000 else "")
        parts.append(f"<h2>What your notebook printed</h2><pre>{e(shown)}</pre>")
    parts.append("</body></html>")
    return "\n".join(parts)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``grade`` subcommand's arguments."""
    parser.add_argument("submissions", nargs="+", type=Path, metavar="SUBMISSION.ipynb",
                        help="the students' notebooks; each file name is a student")
    parser.add_argument("--out", type=Path, required=True, help="the CSV to write (its folder is created)")
    parser.add_argument("--feedback", type=Path, metavar="DIR", help="write one HTML feedback page per student here")
    parser.add_argument("--timeout", type=float, default=120.0,
                        help="seconds each notebook's cells may run (default 120)")
    parser.add_argument("--memory", type=int, default=2048, help="memory limit per notebook, in MB (default 2048)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="notebooks graded at once (default: the number of CPUs)")


def _prepare_directory(directory: Path, what: str) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"{what} {str(directory)!r} cannot be created: {error.strerror or error}") from None
    if not os.access(directory, os.W_OK):
        raise UsageError(f"{what} {str(directory)!r} is not writable")


def run(args: argparse.Namespace) -> int:
    """Grade ``args.submissions``; returns the exit status (raises UsageError for a teacher's mistake)."""
    if args.timeout <= 0:
        raise UsageError(f"--timeout must be a positive number of seconds, got {args.timeout:g}")
    if args.memory < 256:
        raise UsageError(f"--memory must be at least 256 MB, got {args.memory}")
    if args.jobs < 1:
        raise UsageError(f"--jobs must be at least 1, got {args.jobs}")
    if args.out.is_dir():
        raise UsageError(f"--out {str(args.out)!r} is a folder; give a file name such as grades.csv")
    _prepare_directory(args.out.parent if str(args.out.parent) else Path("."), "the folder of --out")
    if args.feedback is not None:
        _prepare_directory(args.feedback, "--feedback")
    from nn.course import EXERCISES
    grading_seconds = sum(e.seconds for e in EXERCISES.values())
    paths = list(args.submissions)
    students = _students(paths)
    submissions = [_read_submission(p) for p in paths]  # all read before any runs
    prefix = _network_isolation()
    progress = _Progress(len(paths))

    def one(k: int) -> Outcome:
        data, nb, reason = submissions[k]
        if nb is None:
            outcome = Outcome(students[k], str(paths[k]), status="ungradable", reason=reason)
        else:
            outcome = grade_one(paths[k], students[k], data, nb, args.timeout, args.memory, prefix, grading_seconds)
        progress.step(students[k])
        return outcome

    pool = ThreadPoolExecutor(max_workers=args.jobs)
    try:
        outcomes = list(pool.map(one, range(len(paths))))
    except KeyboardInterrupt:  # Ctrl-C: stop every running notebook too, they are in their own sessions
        pool.shutdown(wait=False, cancel_futures=True)
        for pid in list(_RUNNING):
            _kill(pid)
        raise
    pool.shutdown()
    write_csv(args.out, outcomes)
    if args.feedback is not None:
        for o in outcomes:
            (args.feedback / f"{Path(o.student).name}.html").write_text(feedback_page(o), encoding="utf-8")
    graded = sum(o.status != "ungradable" for o in outcomes)
    print(f"graded {graded} of {len(outcomes)} submissions; wrote {args.out}"
          + (f" and feedback pages in {args.feedback}" if args.feedback is not None else "")
          + ("" if prefix else " (no network namespace on this system: sockets refused inside Python instead)"))
    return 0


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:
        self.exit(2, f"{self.prog}: {message}\n")


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m nn.grade ...``: the same as ``chainrule grade ...``."""
    parser = _Parser(prog="chainrule grade", description="Grade students' exercise notebooks.")
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        return run(args)
    except (UsageError, OSError) as error:
        print(f"chainrule grade: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("chainrule grade: interrupted (the running notebooks were stopped)", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
