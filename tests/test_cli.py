"""``python -m autograd draw``: compute, backpropagate, print, draw, step, code."""
from __future__ import annotations

import argparse
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from autograd.cli import add_draw_arguments, main, run_draw
from autograd.drawing.player import frames_in
from drawing_helpers import SVG, needs_dot, needs_program, no_layout_program, parse_dot, svg_texts


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["draw", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


SEEDS = ["(x + y) * z", "x=-2", "y=5", "z=-4"]


def test_prints_the_output_and_every_gradient(capsys) -> None:
    code, out, err = run(capsys, *SEEDS)
    assert code == 0 and err == ""
    assert out.splitlines() == ["f = -12", "df/dx = -4", "df/dy = -4", "df/dz = 3"]


@needs_program
@pytest.mark.parametrize("suffix, magic", [(".svg", b"<?xml"), (".png", b"\x89PNG")])
def test_writes_the_drawing_in_the_format_of_the_suffix(tmp_path, capsys, suffix, magic) -> None:
    path = tmp_path / f"f{suffix}"
    code, out, _ = run(capsys, *SEEDS, "-o", str(path))
    assert code == 0 and out.splitlines()[-1] == f"wrote {path}"
    assert path.read_bytes().startswith(magic)


@needs_dot
def test_pdf_with_dot(tmp_path, capsys) -> None:
    code, _, _ = run(capsys, *SEEDS, "-o", str(tmp_path / "f.pdf"))
    assert code == 0 and (tmp_path / "f.pdf").read_bytes().startswith(b"%PDF")


def test_dot_source_needs_no_program(tmp_path, capsys) -> None:
    with no_layout_program():
        code, _, _ = run(capsys, *SEEDS, "-o", str(tmp_path / "f.gv"), "--edge-grads")
    source = (tmp_path / "f.gv").read_text()
    nodes, _ = parse_dot(source)
    assert code == 0 and any(n.ports() == {"i0": "-4", "i1": "3"} for n in nodes.values())


def test_edge_grads_and_direction(tmp_path, capsys) -> None:
    run(capsys, *SEEDS, "-o", str(tmp_path / "f.gv"), "--edge-grads", "--rankdir", "TB")
    source = (tmp_path / "f.gv").read_text()
    assert "rankdir=TB" in source and ":i0:n" in source


@needs_program
def test_steps_writes_the_player_and_gradients_are_counted_once(tmp_path, capsys) -> None:
    code, out, _ = run(capsys, *SEEDS, "--steps", str(tmp_path / "f.html"), "-o", str(tmp_path / "f.svg"))
    assert code == 0 and "df/dz = 3" in out.splitlines()        # not 6: backward ran once
    page = (tmp_path / "f.html").read_text()
    frames = frames_in(page)
    assert len(frames) == 3
    assert "Backward is done" in " ".join(svg_texts(frames[-1]))
    assert "(x + y) * z" in page


@needs_program
def test_rankdir_applies_to_the_player_frames_too(tmp_path, capsys) -> None:
    run(capsys, *SEEDS, "--steps", str(tmp_path / "f.html"), "--rankdir", "TB")
    for frame in frames_in((tmp_path / "f.html").read_text()):
        where = {t.text: (float(t.get("x")), float(t.get("y"))) for t in ET.fromstring(frame).iter(f"{SVG}text")}
        assert where["f"][1] - where["x"][1] > 100 > abs(where["f"][0] - where["x"][0])  # f below x


def test_code_prints_the_flat_forward_and_backward(capsys) -> None:
    code, out, _ = run(capsys, *SEEDS, "--code")
    assert code == 0
    assert "def forward_backward(x, y, z):" in out and "grad_z = grad_f * s2" in out


def test_a_variable_named_f_leaves_the_output_named_out(capsys) -> None:
    code, out, _ = run(capsys, "f * 2", "f=3")
    assert out.splitlines() == ["out = 6", "dout/df = 2"]


def test_an_expression_without_variables_is_just_computed(capsys) -> None:
    code, out, _ = run(capsys, "2 ** 10")
    assert code == 0 and out.splitlines() == ["f = 1024", "(no variables: nothing to differentiate)"]


def test_nan_and_inf_values_are_fine(capsys) -> None:
    code, out, _ = run(capsys, "x * y", "x=inf", "y=nan")
    assert code == 0 and out.splitlines()[0] == "f = nan"


def test_without_a_layout_program_it_says_how_to_install_one_and_writes_nothing(tmp_path, capsys):
    with no_layout_program():
        code, out, err = run(capsys, *SEEDS, "-o", str(tmp_path / "f.svg"))
    assert code == 1 and out == "" and "Traceback" not in err
    assert "pip install 'chainrule[render]'" in err and "apt-get install graphviz" in err
    assert not (tmp_path / "f.svg").exists()


def test_another_command_line_can_add_the_same_subcommand(capsys) -> None:
    parser = argparse.ArgumentParser(prog="chainrule")
    commands = parser.add_subparsers(dest="command", required=True)
    add_draw_arguments(commands.add_parser("draw"))
    code = run_draw(parser.parse_args(["draw", "x *", "x=1"]))
    assert code == 2
    assert capsys.readouterr().err.startswith("chainrule draw: error: syntax error")


def test_python_dash_m_autograd(tmp_path) -> None:
    done = subprocess.run([sys.executable, "-m", "autograd", "draw", *SEEDS], capture_output=True,
                          text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.splitlines()[0] == "f = -12"
    bad = subprocess.run([sys.executable, "-m", "autograd", "draw", "x.__class__", "x=1"],
                         capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert bad.returncode == 2 and len(bad.stderr.splitlines()) == 1
    assert "attribute access at column 1 is not allowed" in bad.stderr


@pytest.mark.parametrize("expression, value, name", [("x", "x=1", "x"), ("(((x)))", "x=1", "x"),
                                                     ("f", "f=2", "f")])
def test_a_variable_alone_is_its_own_output(capsys, tmp_path, expression, value, name) -> None:
    """issue 19 item 12: the output used to take the variable's label (a KeyError)."""
    result = "out" if name == "f" else "f"
    code, out, _ = run(capsys, expression, value, "--code", "-o", str(tmp_path / "f.gv"))
    assert code == 0 and f"d{result}/d{name} = 1\n" in out and f"return {name}, [grad_{name}]" in out


@needs_dot
def test_a_variable_alone_steps_through(capsys, tmp_path) -> None:
    code, out, _ = run(capsys, "x", "x=1", "--steps", str(tmp_path / "s.html"))
    assert code == 0 and "df/dx = 1\n" in out and (tmp_path / "s.html").exists()


@pytest.mark.parametrize("expression", ["-x", "-x * y", "-(x + y)", "-exp(x)"])
def test_an_expression_starting_with_a_minus_is_not_an_option(capsys, expression) -> None:
    code, out, _ = run(capsys, expression, "x=1", *(["y=2"] if "y" in expression else []), "--code")
    assert code == 0 and "df/dx = " in out


def test_a_fullwidth_name_is_the_name_python_reads(capsys) -> None:
    """issue 19 item 19: Python folds ｘ to x (NFKC), so the value's name is folded too."""
    code, out, _ = run(capsys, "ｘ * 2", "ｘ=3")
    assert code == 0 and "f = 6\ndf/dx = 2\n" in out
