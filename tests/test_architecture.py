"""The house rules of docs/ARCHITECTURE.md, checked on the source so they cannot quietly erode.

- all time math lives in bot/time/: nothing else imports zoneinfo or pytz, calls astimezone() or
  utcoffset(), or reads the system clock (the injected Clock is the only "now"; log timestamps aside);
- bot/ knows no platform and no engine: it imports nothing from scheduler/, adapters/, operations/ or web/;
- scheduler/ is the generic engine: it imports no platform adapter;
- no import cycles between modules (imports at module level; those inside functions are deliberate);
- modules in bot/ stay small enough to read (one job each), except the few that are one algorithm.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
PACKAGES = ("bot", "scheduler", "adapters", "operations", "web")
TIME_PACKAGE = "bot/time/"
# Reading the system clock is the injected clock's job (bot/time/clock.py); logs stamp their own records.
CLOCK_READERS_ALLOWED = {"bot/time/clock.py", "operations/logs.py"}
# One algorithm each: splitting them would scatter one piece of reasoning over several files.
LONG_MODULES_ALLOWED = {
    "bot/coffee/matching.py",      # max-weight matching (blossom) with its exactness checks
    "bot/coffee/plan.py",          # the round planner: eligibility, weights, groups, over matching.py
    "bot/conversion/scan.py",      # the time scanner: one pass of patterns over a message, per language
}
MAX_LINES = 450

_TIME_CALLS = re.compile(r"\.(astimezone|utcoffset)\(")
_CLOCK_CALLS = re.compile(r"\b(datetime\.now|datetime\.utcnow|date\.today|utcnow)\(|\btime\.time\(\)")


def sources() -> list[Path]:
    return sorted(p for package in PACKAGES if (ROOT / package).is_dir()
                  for p in (ROOT / package).rglob("*.py") if "migrations" not in p.parts)


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def code_lines(path: Path) -> list[tuple[int, str]]:
    """(line number, code) with comments and docstrings blanked, so prose may mention what code may not do."""
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    doc_lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            doc_lines.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        if number not in doc_lines:
            out.append((number, line.split("#", 1)[0]))
    return out


def imported_modules(path: Path, *, top_level_only: bool) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_the_rules_see_the_tree() -> None:
    names = {rel(p) for p in sources()}
    assert "bot/time/instants.py" in names and "bot/features.py" in names and len(names) > 60


@pytest.mark.parametrize("path", [p for p in sources() if not rel(p).startswith(TIME_PACKAGE)], ids=rel)
def test_time_math_only_in_bot_time(path: Path) -> None:
    imports = imported_modules(path, top_level_only=False)
    assert not {m for m in imports if m.split(".")[0] in {"zoneinfo", "pytz", "dateutil"}}, \
        f"{rel(path)} imports a zone library: use bot.time"
    offenders = [f"{rel(path)}:{n}: {line.strip()}" for n, line in code_lines(path) if _TIME_CALLS.search(line)]
    assert offenders == [], "astimezone()/utcoffset() outside bot/time: use bot.time.to_local/utc_offset"


@pytest.mark.parametrize("path", [p for p in sources() if rel(p) not in CLOCK_READERS_ALLOWED], ids=rel)
def test_no_system_clock_outside_the_injected_clock(path: Path) -> None:
    offenders = [f"{rel(path)}:{n}: {line.strip()}" for n, line in code_lines(path) if _CLOCK_CALLS.search(line)]
    assert offenders == [], "read the injected Clock (ctx.now(), clock.now()), never the system clock"


@pytest.mark.parametrize("path", [p for p in sources() if rel(p).startswith("bot/")], ids=rel)
def test_the_core_imports_no_platform_and_no_engine(path: Path) -> None:
    imports = imported_modules(path, top_level_only=False)
    outside = sorted(m for m in imports if m.split(".")[0] in {"scheduler", "adapters", "operations", "web"})
    assert outside == [], f"{rel(path)} imports {outside}"


@pytest.mark.parametrize("path", [p for p in sources() if rel(p).startswith("scheduler/")], ids=rel)
def test_the_engine_imports_no_platform(path: Path) -> None:
    imports = imported_modules(path, top_level_only=False)
    assert not [m for m in imports if m.split(".")[0] in {"adapters", "operations", "web"}]


def test_no_import_cycles() -> None:
    modules = {module_name(p): p for p in sources()}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        for imported in imported_modules(path, top_level_only=True):
            # `from bot.coffee import plan` names a module or a symbol: keep the longest name that is a module
            while imported and imported not in modules:
                imported = imported.rpartition(".")[0]
            if imported and imported != name and not name.startswith(imported + "."):
                targets.add(imported)
        graph[name] = targets
    cycles = _strongly_connected(graph)
    assert cycles == [], "import cycles: " + "; ".join(" <-> ".join(sorted(c)) for c in cycles)


def _strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm: the groups of modules that import each other (directly or round a loop)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


@pytest.mark.parametrize("path", [p for p in sources() if rel(p).startswith("bot/")], ids=rel)
def test_core_modules_stay_small(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    if rel(path) in LONG_MODULES_ALLOWED:
        return
    assert lines <= MAX_LINES, f"{rel(path)} has {lines} lines: split it by job (docs/ARCHITECTURE.md)"
