"""The Python package is layered like the C++ core: no import cycle, no import hidden in a function."""

from __future__ import annotations

import ast
from pathlib import Path

import trustcost

PACKAGE = Path(trustcost.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> list[str]:
    base = module.split(".") if is_package else module.split(".")[:-1]
    if node.level:
        base = base[: len(base) - (node.level - 1)]
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = node.module or ""
    if not target.startswith("trustcost"):
        return []
    # "from . import finance" imports a submodule; "from .x import name" imports module x.
    names = [f"{target}.{a.name}" for a in node.names]
    return [n for n in names if n in KNOWN] or [target]


MODULES = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
KNOWN = set(MODULES) | {"trustcost._core"}


def _graph():
    graph, lazy = {}, []
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text())
        is_package = path.name == "__init__.py"
        edges = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                targets = _resolve(name, is_package, node)
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names if a.name.startswith("trustcost")]
            else:
                continue
            if targets and node.col_offset > 0:
                lazy.append(f"{name}:{node.lineno}")
            edges.update(t for t in targets if t != name)
        graph[name] = edges
    return graph, lazy


def test_no_import_inside_a_function():
    _, lazy = _graph()
    assert lazy == []


def test_no_import_cycle_between_modules():
    graph, _ = _graph()

    # A submodule reaching its own package's __init__ (``from .. import _core``) is no layer edge;
    # a package's __init__ importing its submodules is, so a cycle through one is caught.
    layered = {m: {t for t in edges if t in graph and not m.startswith(t + ".")} for m, edges in graph.items()}
    state, cycle = {}, []

    def visit(node, stack):
        state[node] = 1
        for nxt in sorted(layered[node]):
            if state.get(nxt) == 1:
                cycle.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = 2

    for module in sorted(layered):
        if module not in state:
            visit(module, [module])
    assert cycle == []


def test_layers_point_down():
    """lcc may use trust and stats; trust and stats never use lcc; uncertainty sits above lcc."""
    graph, _ = _graph()
    order = {"trustcost.stats": 1, "trustcost.trust": 2, "trustcost.lcc": 3, "trustcost.uncertainty": 4}

    def layer(module):
        return next((rank for pkg, rank in order.items() if module == pkg or module.startswith(pkg + ".")), None)

    upward = [(m, t) for m, edges in graph.items() for t in edges
              if layer(m) is not None and layer(t) is not None and layer(t) > layer(m)]
    assert upward == []
