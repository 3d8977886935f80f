"""The layout a reader walks (issue 17): subpackages that depend one way, no import cycles,
small folders and functions, no private name crossing a subpackage, nn on autograd's
public names only."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("autograd", "nn")


def _modules() -> dict[str, Path]:
    """Every module of autograd and nn by dotted name."""
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> list[tuple[str, list[str], int]]:
    """(module imported, names imported from it, line) for every import in the file, those
    inside functions included; relative imports resolved."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found += [(alias.name, [], node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            names = [alias.name for alias in node.names]
            found.append((base, names, node.lineno))
            # ``from package import module`` imports that module
            found += [(f"{base}.{n}", [], node.lineno) for n in names if f"{base}.{n}" in MODULES]
    return found


def _graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {name: set() for name in MODULES}
    for name, path in MODULES.items():
        for target, _, _ in _imports(name, path):
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target != name:
                edges[name].add(target)
    return edges


def _without_parent_packages(edges: dict[str, set[str]]) -> dict[str, set[str]]:
    """Importing ``a.b.c`` runs ``a/__init__`` and ``a/b/__init__`` first; those package
    imports are not what a cycle is made of, so arrows *to* a package's ``__init__`` from
    inside that package are dropped."""
    return {m: {t for t in ts if not m.startswith(t + ".")} for m, ts in edges.items()}


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    groups = []
    counter = 0
    for start in edges:
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, targets = work[-1]
            for target in targets:
                if target not in index:
                    index[target] = low[target] = counter
                    counter += 1
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(edges[target]))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        groups.append(sorted(group))
    return groups


def test_no_import_cycles_in_autograd_and_nn():
    assert _cycles(_without_parent_packages(_graph())) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize("inner, outer", [("autograd.core", "autograd.speed"),
                                          ("autograd.core", "autograd.drawing"),
                                          ("autograd", "nn")])
def test_dependencies_point_one_way(inner, outer):
    edges = _graph()
    wrong = sorted(f"{m} -> {t}" for m, ts in edges.items() if m.startswith(inner + ".") or m == inner
                   for t in ts if t == outer or t.startswith(outer + "."))
    if inner == "autograd":  # autograd never imports nn; its own subpackages are checked above
        wrong = [w for w in wrong if w.split(" -> ")[0].startswith("autograd")]
    assert wrong == []


def test_no_folder_of_autograd_has_more_than_12_modules():
    for folder in [ROOT / "autograd", *[p for p in (ROOT / "autograd").iterdir() if p.is_dir()]]:
        modules = list(folder.glob("*.py"))
        if modules:
            assert len(modules) <= 12, (folder.name, sorted(m.name for m in modules))


def test_each_subpackage_says_what_it_holds_and_the_order_to_read_it():
    for sub in ("core", "speed", "drawing"):
        doc = ast.get_docstring(ast.parse((ROOT / "autograd" / sub / "__init__.py").read_text()))
        assert doc and "Reading order" in doc, sub


def test_no_function_is_longer_than_80_lines():
    long = []
    for name, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > 80:
                    long.append(f"{name}.{node.name}: {length} lines")
    assert long == []


def _subpackage(module: str) -> str:
    """``autograd.core`` for ``autograd.core.value``; ``autograd`` for its top-level modules."""
    parts = module.split(".")
    if parts[0] == "autograd" and len(parts) > 2:
        return ".".join(parts[:2])
    return parts[0] if parts[0] != "autograd" or len(parts) == 1 else "autograd"


def test_no_private_name_is_imported_across_subpackages():
    crossing = []
    for name, path in MODULES.items():
        for target, names, line in _imports(name, path):
            if not target.startswith(PACKAGES):
                continue
            if _subpackage(target) == _subpackage(name):
                continue
            private = [n for n in names if n.startswith("_") and not n.startswith("__")]
            if private:
                crossing.append(f"{path.relative_to(ROOT)}:{line} imports {private} from {target}")
    assert crossing == []


def test_nn_uses_only_the_public_names_of_autograd():
    import autograd
    reaching = []
    for name, path in MODULES.items():
        if not name.startswith("nn"):
            continue
        for target, names, line in _imports(name, path):
            if target == "autograd":
                reaching += [f"{path.name}:{line} {n}" for n in names if n not in autograd.__all__]
            elif target.startswith("autograd."):
                reaching.append(f"{path.name}:{line} imports {target}")
        source = path.read_text()
        for attribute in sorted(set(_attributes_of_autograd(source))):
            if attribute not in autograd.__all__:
                reaching.append(f"{path.name}: autograd.{attribute}")
    assert reaching == []


def _attributes_of_autograd(source: str) -> list[str]:
    """Every ``autograd.X`` read in the source (``X`` the first attribute)."""
    return [node.attr for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
            and node.value.id == "autograd"]
