"""The layering of docs/architecture.md, checked on the code's own imports.

Every `import` / `from … import` in a module of the project counts, wherever it stands
(a function-level import still makes a dependency), so a circle cannot hide behind a
lazy import.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ["core", "cadres", "rectification", "partybuilding", "campaign"]
# Who may import whom: each app only from the apps listed for it.
ALLOWED = {
    "core": set(),
    "cadres": {"core"},
    "rectification": {"core", "cadres"},
    "partybuilding": {"core", "cadres"},
    "campaign": {"core", "cadres", "rectification", "partybuilding"},
}
# Inside campaign/: group <- reminders, reports <- dashboard.
FEATURES = {
    "group": set(),
    "reminders": {"group"},
    "reports": {"group"},
    "dashboard": {"group", "reminders", "reports"},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    """The project modules a file imports (absolute names)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            found |= {f"{target}.{alias.name}" for alias in node.names}
    return {m for m in found if m.split(".")[0] in APPS}


def project_modules() -> dict[str, set[str]]:
    graph = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts or "management" in path.parts:
                continue
            graph[module_name(path)] = imports_of(path)
    # Keep only edges to modules that exist (a `from x import name` adds x.name too).
    return {m: {t for t in targets if t in graph and t != m} for m, targets in graph.items()}


GRAPH = project_modules()


def test_apps_import_only_the_layers_below_them():
    wrong = [
        f"{m} imports {t}"
        for m, targets in GRAPH.items()
        for t in targets
        if t.split(".")[0] != m.split(".")[0] and t.split(".")[0] not in ALLOWED[m.split(".")[0]]
    ]
    assert not wrong, wrong


def test_campaign_features_import_in_order():
    wrong = []
    for m, targets in GRAPH.items():
        parts = m.split(".")
        if parts[0] != "campaign" or len(parts) < 2 or parts[1] not in FEATURES:
            continue
        for t in targets:
            other = t.split(".")
            if other[0] == "campaign" and len(other) > 1 and other[1] in FEATURES and other[1] != parts[1]:
                if other[1] not in FEATURES[parts[1]]:
                    wrong.append(f"{m} imports {t}")
    assert not wrong, wrong


@pytest.mark.parametrize("app", APPS)
def test_no_import_circle_inside_an_app(app):
    graph = {m: {t for t in ts if t.split(".")[0] == app} for m, ts in GRAPH.items() if m.split(".")[0] == app}
    # A package's __init__ importing its own submodules is how a package exposes them, not a circle.
    graph = {m: {t for t in ts if not (m == t.rpartition(".")[0] or t.startswith(m + "."))} for m, ts in graph.items()}
    state, stack, circles = {}, [], []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                circles.append(" -> ".join(stack[stack.index(nxt) :] + [nxt]))
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert not circles, circles


def test_campaign_has_no_flat_feature_modules():
    flat = [p.name for p in (ROOT / "campaign").glob("*.py") if p.stem.startswith(("views_", "urls_", "services_"))]
    assert not flat
    for feature in FEATURES:
        assert (ROOT / "campaign" / feature / "__init__.py").exists()
