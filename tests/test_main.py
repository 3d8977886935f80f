"""The demo command end to end, and its refusals of bad options."""
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import autograd
import nn
from nn.__main__ import main

ROOT = Path(__file__).resolve().parents[1]


def run(capsys, *args):
    code = main(["train", *args, "--quiet"])
    out, err = capsys.readouterr()
    return code, out, err


def test_default_demo_reaches_97_percent_and_writes_its_files(tmp_path, capsys):
    code, out, err = run(capsys, "--out", str(tmp_path))
    lines = out.strip().splitlines()
    assert re.fullmatch(r"accuracy: \d\.\d\d", lines[-1])
    assert float(lines[-1].split()[1]) >= 0.97
    assert "2-16-16-1 MLP (337 parameters, scalar engine)" in lines[0] and "moons" in lines[0]
    for name in ("decision_boundary.png", "loss.png"):
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert code == 0, err
    svg = (tmp_path / "neuron.svg").read_bytes()
    assert b"<svg" in svg and b"x0" in svg
    assert b">layers.0<" in svg and b">neurons.0<" in svg and b">w.0<" in svg  # named by the model


class FakeDigraph:
    """Stands in for graphviz.Digraph; records the root it was drawn from."""

    roots = []

    def __init__(self, root, fail=False, **options):
        self.roots.append(root)
        self.fail = fail

    def pipe(self, format):
        if self.fail:
            raise RuntimeError("Graphviz 'dot' not found")
        return b"<svg>" + format.encode() + b"</svg>"


def test_neuron_graph_is_drawn_from_a_backpropagated_neuron(tmp_path, capsys, monkeypatch):
    FakeDigraph.roots = []
    monkeypatch.setattr(autograd, "draw_graph", FakeDigraph)
    code, out, err = run(capsys, "--steps", "3", "--points", "20", "--out", str(tmp_path))
    assert code == 0, err
    assert (tmp_path / "neuron.svg").read_bytes() == b"<svg>svg</svg>"
    (root,) = FakeDigraph.roots
    assert root.label == "out" and root.grad == 1.0
    inputs = [p for p in autograd.topological_order(root) if p.label.startswith("x")]
    assert sorted(p.label for p in inputs) == ["x0", "x1"]
    assert any(p.grad != 0 for p in inputs) or root.data == 0.0  # a dead relu passes no gradient
    assert str(tmp_path / "neuron.svg") in out


def test_render_failure_is_reported_with_exit_1_after_other_files(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(autograd, "draw_graph", lambda root, **o: FakeDigraph(root, fail=True))
    code, out, err = run(capsys, "--steps", "2", "--points", "20", "--out", str(tmp_path))
    assert code == 1
    assert "neuron graph not written: RuntimeError: Graphviz 'dot' not found" in err
    assert (tmp_path / "loss.png").exists() and not (tmp_path / "neuron.svg").exists()
    assert out.strip().splitlines()[-1].startswith("accuracy: ")


@pytest.mark.parametrize("dataset", ["circles", "blobs", "spiral", "xor"])
def test_every_dataset_runs(dataset, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(autograd, "draw_graph", FakeDigraph)
    code, out, _ = run(capsys, "--dataset", dataset, "--sizes", "4,1", "--steps", "2", "--points", "20",
                       "--seed", "3", "--lr", "0.5", "--out", str(tmp_path))
    assert code == 0 and dataset in out and "2-4-1 MLP" in out


def test_missing_command_is_a_one_line_usage_error(capsys):
    assert main([]) == 2
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        "chainrule: error: the following arguments are required: COMMAND (see chainrule --help)"]


def test_help_exits_0(capsys):
    assert main(["train", "--help"]) == 0
    assert "--dataset" in capsys.readouterr().out


def _python_m_nn(*args, cwd):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "nn", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("args", [["--dataset", "nope"], ["--seed", "-1"], ["--out", ""],
                                  ["--dataset", "digits"], ["--points", "100000000"]])
def test_python_m_nn_refuses_user_errors_in_one_line_without_traceback(args, tmp_path):
    result = _python_m_nn("train", *args, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("chainrule train: error: ") and len(result.stderr.splitlines()) == 1
    assert result.stdout == "" and os.listdir(tmp_path) == []


def test_python_m_nn_runs_end_to_end(tmp_path):
    result = _python_m_nn("train", "--steps", "3", "--points", "20", "--out", "pics", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"accuracy: \d\.\d\d", result.stdout.strip().splitlines()[-1])
    assert "3/3" in result.stderr  # the progress bar
    assert (tmp_path / "pics" / "loss.png").exists()


def test_console_script_points_at_main():
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    module, func = scripts["chainrule"].split(":")
    assert module == "nn.__main__" and getattr(sys.modules[module], func) is main


def test_missing_plotting_extra_is_explained_not_a_traceback(tmp_path, capsys, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "matplotlib" else real(name, *a))
    code, out, err = run(capsys, "--out", str(tmp_path / "pics"))
    assert code == 1 and "needs matplotlib: pip install 'chainrule[notebooks]'" in err
    assert not (tmp_path / "pics").exists()


def test_tensor_engine_trains_the_same_network_to_the_same_accuracy(tmp_path, capsys):
    code, out, err = run(capsys, "--engine", "tensor", "--quiet", "--out", str(tmp_path / "t"))
    assert code == 0, err
    tensor_lines = out.strip().splitlines()
    assert "(337 parameters, tensor engine)" in tensor_lines[0]
    code, out, err = run(capsys, "--quiet", "--out", str(tmp_path / "s"))
    scalar_lines = out.strip().splitlines()
    assert float(tensor_lines[-1].split()[1]) >= 0.97
    assert tensor_lines[-1] == scalar_lines[-1]            # same accuracy
    assert tensor_lines[-3] == scalar_lines[-3]            # same final loss, to 4 digits
    svg = (tmp_path / "t" / "neuron.svg").read_bytes()
    assert b"<svg" in svg and b"2\xc3\x9716" in svg      # the first layer's W, shape 2x16


def test_digits_reach_97_percent_held_out_and_write_their_pictures(tmp_path, capsys):
    pytest.importorskip("sklearn")
    code, out, err = run(capsys, "--dataset", "digits", "--engine", "tensor", "--out", str(tmp_path))
    assert code == 0, err
    lines = out.strip().splitlines()
    assert "64-64-10 MLP (4810 parameters, tensor engine)" in lines[0]
    assert "1438 digits (359 held out)" in lines[0]
    assert re.fullmatch(r"train accuracy: \d\.\d{4}", lines[-2])
    assert re.fullmatch(r"held-out accuracy: \d\.\d{4}", lines[-1])
    assert float(lines[-1].split()[-1]) >= 0.97
    for name in ("curves.png", "confusion_matrix.png", "test_images.png"):
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_digits_options_take_the_digits_defaults_and_can_be_changed(tmp_path, capsys):
    pytest.importorskip("sklearn")
    code, out, err = run(capsys, "--dataset", "digits", "--engine", "tensor", "--sizes", "8,10",
                         "--steps", "20", "--lr", "0.01", "--seed", "3", "--out", str(tmp_path))
    assert code == 0, err
    assert "64-8-10 MLP (610 parameters" in out and "for 20 steps of Adam (lr 0.01" in out


def test_digits_without_scikit_learn_is_explained(tmp_path, capsys, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "sklearn" else real(name, *a))
    code, out, err = run(capsys, "--dataset", "digits", "--engine", "tensor", "--out", str(tmp_path / "pics"))
    assert code == 1 and "needs scikit-learn: pip install 'chainrule[datasets]'" in err
    assert not (tmp_path / "pics").exists()


def test_memory_estimate_grows_with_points_and_layers():
    from nn.__main__ import estimated_memory

    small = estimated_memory("scalar", [16, 16, 1], 100)
    assert estimated_memory("scalar", [16, 16, 1], 1000) == 10 * small
    assert estimated_memory("scalar", [64, 64, 1], 100) > small > estimated_memory("tensor", [16, 16, 1], 100)


def test_chainrule_draw_is_autograds_draw_command(tmp_path, capsys):
    target = tmp_path / "f.gv"
    code = main(["draw", "(x + y) * z", "x=-2", "y=5", "z=-4", "-o", str(target)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out.splitlines()[:4] == ["f = -12", "df/dx = -4", "df/dy = -4", "df/dz = 3"]
    assert "digraph" in target.read_text()


def test_chainrule_draw_refuses_code_in_one_line_named_after_chainrule(tmp_path, capsys):
    code = main(["draw", "x.__class__", "x=1", "-o", str(tmp_path / "f.svg")])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1
    assert err.startswith("chainrule draw: error:") and "attribute" in err
    assert not (tmp_path / "f.svg").exists()


def test_ctrl_c_ends_with_one_line_and_status_130(tmp_path, capsys, monkeypatch):
    import nn.__main__ as cli

    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "run_train", interrupted)
    code = main(["train", "--out", str(tmp_path), "--quiet"])
    err = capsys.readouterr().err.strip()
    assert code == 130 and err == "chainrule train: interrupted"
