"""The Python package is layered like the C++ core: no import cycle, no import hidden in a function."""

from __future__ import annotations

import ast
import re
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


def _package_of(module: str) -> str:
    """The package a module belongs to: itself for a package's __init__, else its parent."""
    path = MODULES.get(module)
    return module if path is not None and path.name == "__init__.py" else module.rsplit(".", 1)[0]


def _private_owner(target: str) -> str | None:
    """The package owning the first private (``_x``, not dunder) part of a dotted name, or None.

    ``trustcost.relationship._fitted`` is owned by ``trustcost.relationship``;
    ``trustcost.stats.distributions._seed`` by ``trustcost.stats``. The root package's private
    modules (``_core``, ``_validation``, ``_plotting``...) are owned by ``trustcost``, which
    every module of the distribution is inside.
    """
    parts = target.split(".")
    for k, part in enumerate(parts[1:], start=1):
        if part.startswith("_") and not part.startswith("__"):
            return _package_of(".".join(parts[:k]))
    return None


def _private_reaches():
    """(importer, private name) for every private name a module takes from outside its package:
    imported (``from trustcost.a import _b``, ``import trustcost.a._b``) or read as an attribute
    of an imported module (``rfm._parse_dates``)."""
    found = []
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text())
        is_package = path.name == "__init__.py"
        package = name if is_package else name.rsplit(".", 1)[0]
        modules = {}  # local name -> imported trustcost module
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                source = _resolve_module(name, is_package, node)
                if not source.startswith("trustcost"):
                    continue
                for alias in node.names:
                    target = f"{source}.{alias.name}"
                    if target in KNOWN:
                        modules[alias.asname or alias.name] = target
                    owner = _private_owner(target)
                    if owner and not (package == owner or package.startswith(owner + ".")):
                        found.append((name, target))
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    owner = _private_owner(alias.name) if alias.name.startswith("trustcost") else None
                    if owner and not (package == owner or package.startswith(owner + ".")):
                        found.append((name, alias.name))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules:
                target = f"{modules[node.value.id]}.{node.attr}"
                owner = _private_owner(target)
                if owner and not (package == owner or package.startswith(owner + ".")):
                    found.append((name, target))
    return sorted(set(found))


def _resolve_module(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    base = module.split(".") if is_package else module.split(".")[:-1]
    if node.level:
        base = base[: len(base) - (node.level - 1)]
        return ".".join(base + ([node.module] if node.module else []))
    return node.module or ""


# Private names other packages still reach, each being removed by the helper who owns the
# package (issue 18). The list may only shrink: the integrator empties it when they merge.
KNOWN_PRIVATE_REACHES: set[tuple[str, str]] = set()


def test_no_private_name_is_imported_across_packages():
    reaches = set(_private_reaches())
    assert sorted(reaches - KNOWN_PRIVATE_REACHES) == []
    assert sorted(KNOWN_PRIVATE_REACHES - reaches) == [], "fixed: remove these from KNOWN_PRIVATE_REACHES"


# A check written by hand where python/trustcost/_validation.py owns it: an integer test
# (check_int, check_count, check_year...), a flag test (check_flag) or a rate bound (as_rate).
HAND_ROLLED_CHECKS = {
    "integer": re.compile(r"isinstance\([\w.]+,\s*\(int,\s*np\.integer\)\)"),
    "flag": re.compile(r"not isinstance\([\w.]+,\s*\(bool,\s*np\.bool_\)\)"),
    "rate": re.compile(r"\bif [\w.]+ <= -1(\.0)?\s*:"),
}

# Hand-rolled checks in packages whose owners are moving them to _validation (issue 18):
# (file, kind) -> count. Counts may only fall; the integrator empties the table on merging.
KNOWN_HAND_ROLLED: dict[tuple[str, str], int] = {}


def _hand_rolled_checks() -> dict[tuple[str, str], int]:
    found: dict[tuple[str, str], int] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative == "_validation.py":
            continue
        text = path.read_text()
        for kind, pattern in HAND_ROLLED_CHECKS.items():
            count = len(pattern.findall(text))
            if count:
                found[(relative, kind)] = count
    return found


def test_every_check_has_one_owner():
    found = _hand_rolled_checks()
    new = {key: n for key, n in found.items() if n > KNOWN_HAND_ROLLED.get(key, 0)}
    assert new == {}, "use the helper of trustcost._validation instead of a hand-rolled check"
    fixed = {key: n for key, n in KNOWN_HAND_ROLLED.items() if found.get(key, 0) < n}
    assert fixed == {}, "fewer hand-rolled checks than listed: lower KNOWN_HAND_ROLLED"


def test_the_check_patterns_find_what_they_forbid():
    """The patterns are live: each matches the hand-rolled form it stands for."""
    samples = {
        "integer": "if isinstance(n, bool) or not isinstance(n, (int, np.integer)):",
        "flag": "if not isinstance(value, (bool, np.bool_)):",
        "rate": "    if rate <= -1:",
    }
    assert {kind: bool(HAND_ROLLED_CHECKS[kind].search(text)) for kind, text in samples.items()} == dict.fromkeys(samples, True)


def _private_attribute_owners() -> dict[str, set[str]]:
    """Private attribute and method names (``_x``) -> the packages that define them (as methods,
    ``self._x`` or ``object.__setattr__(self, "_x", ...)``)."""
    owners: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        package = _package_of(name)
        for node in ast.walk(ast.parse(path.read_text())):
            found = None
            if isinstance(node, ast.FunctionDef):
                found = node.name
            elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"):
                found = node.attr
            elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "__setattr__" and len(node.args) >= 2 \
                    and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str):
                found = node.args[1].value
            if found and found.startswith("_") and not found.startswith("__"):
                owners.setdefault(found, set()).add(package)
    return owners


def _private_attribute_reads():
    """(module file, name) for every ``obj._x`` read where only other packages define ``_x``:
    a module reaching into another package's objects (``study._items``, ``model._check_fitted()``).
    Names the root package defines (its shared helpers) are everyone's."""
    owners, found = _private_attribute_owners(), set()
    for name, path in MODULES.items():
        package = _package_of(name)
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")):
                continue
            if isinstance(node.value, ast.Name) and node.value.id in ("self", "cls", "_core"):
                continue
            defined = owners.get(node.attr, set())
            if defined and package not in defined and "trustcost" not in defined:
                found.add((path.relative_to(PACKAGE).as_posix(), node.attr))
    return found


# Private members other packages still read, being removed by their owners (issue 18); may only shrink.
KNOWN_PRIVATE_READS: set[tuple[str, str]] = set()


def test_no_private_member_is_read_across_packages():
    reads = _private_attribute_reads()
    assert sorted(reads - KNOWN_PRIVATE_READS) == []
    assert sorted(KNOWN_PRIVATE_READS - reads) == [], "fixed: remove these from KNOWN_PRIVATE_READS"
