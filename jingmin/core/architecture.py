"""The architecture's rules, checked by reading the source (jingmin/core/tests/test_architecture.py).

Each checker takes the directory that holds the project's packages (`jingmin/`) and returns the
violations it finds, each as "path:line: what"; none is an empty list. They read files with `ast`
and never import them, so a planted package in a temporary directory is checked exactly as the
real tree is.

- `path_comparisons`: only `jingmin/org/scope.py` compares, slices or splits unit paths (and the
  address tree's paths, which share its helpers).
- `adapter_imports`: a domain never imports an adapter (`api`, `portal`, `open311`, `field`).
- `manager_uses`: views and template tags never touch a model manager; they call selectors and
  services.
- `import_cycles`: no cycle in the graph of imports between packages.
- `unguarded_writes`: every public function of a services module that writes is a write service
  (`@write_service` or `@write_steps`, `jingmin/core/writes.py`), and no one else opens a durable
  transaction by hand.

Tests, migrations and management commands are not held to the rules: tests build what they check,
migrations are frozen history, and commands are adapters like the views of an adapter package.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT = "jingmin"
ADAPTERS = frozenset({"api", "portal", "open311", "field"})
SCOPE_MODULE = ("org", "scope.py")
EXEMPT_DIRS = frozenset({"tests", "migrations", "management"})

# Lookups that compare a path with another path's prefix, order paths, or pick the nodes above one
# (`unit__path__in=` a list of prefixes: the scope module's `chain_q` says it once).
PATH_LOOKUPS = frozenset(
    {
        "in",
        "startswith",
        "istartswith",
        "endswith",
        "contains",
        "icontains",
        "gt",
        "gte",
        "lt",
        "lte",
        "range",
        "regex",
    }
)
# String methods that compare or cut a path.
PATH_METHODS = frozenset(
    {
        "startswith",
        "endswith",
        "split",
        "rsplit",
        "partition",
        "removeprefix",
        "removesuffix",
        "strip",
        "find",
    }
)
MANAGERS = frozenset({"objects", "_default_manager", "_base_manager"})
SHORTCUTS = frozenset({"get_object_or_404", "get_list_or_404"})


@dataclass(frozen=True)
class Source:
    package: str  # the top package under the root: "appeals"
    module: str  # the dotted module name: "jingmin.appeals.views"
    path: Path
    relative: Path
    tree: ast.Module


def sources(root: Path = ROOT, *, exempt: frozenset[str] = EXEMPT_DIRS) -> Iterator[Source]:
    """Every module of every package under `root`, parsed, but those in exempt directories."""
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if len(relative.parts) < 2 or exempt.intersection(relative.parts[:-1]):
            continue
        parts = [PROJECT, *relative.with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        yield Source(
            relative.parts[0], ".".join(parts), path, relative, ast.parse(path.read_text(), str(path))
        )


def _in_order(found: list[str]) -> list[str]:
    """By file and line, as one reads them."""

    def key(line: str) -> tuple[str, int]:
        file, number, _ = line.split(":", 2)
        return file, int(number)

    return sorted(found, key=key)


def _where(source: Source, node: ast.AST, what: str) -> str:
    return f"{PROJECT}/{source.relative.as_posix()}:{getattr(node, 'lineno', 0)}: {what}"


# ---------------------------------------------------------------------------------------------
# Unit paths


def _is_path(node: ast.AST) -> bool:
    """`x.path`, `x.unit_path`, `district_path`: a materialised path, but never a request's."""
    if isinstance(node, ast.Attribute):
        if node.attr == "path":
            owner = node.value
            name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
            return not name.endswith("request")
        return node.attr.endswith("_path")
    return isinstance(node, ast.Name) and node.id.endswith("_path")


def _lookup_compares_path(key: str) -> bool:
    field, _, lookup = key.rpartition("__")
    return (field == "path" or field.endswith("_path") or field.endswith("__path")) and lookup in PATH_LOOKUPS


def _method_on_path(func: ast.expr, args: list[ast.expr]) -> bool:
    """`x.path.startswith(...)`, `x.unit_path.split("/")`, `name.startswith(x.path)`."""
    if not isinstance(func, ast.Attribute) or func.attr not in PATH_METHODS:
        return False
    return _is_path(func.value) or (func.attr == "startswith" and any(_is_path(a) for a in args))


def path_comparisons(root: Path = ROOT) -> list[str]:
    """Unit paths compared, sliced or split outside the scope module."""
    found: list[str] = []
    for source in sources(root):
        if source.relative.parts == SCOPE_MODULE:
            continue
        for node in ast.walk(source.tree):
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    if keyword.arg and _lookup_compares_path(keyword.arg):
                        found.append(_where(source, node, f"the lookup {keyword.arg}"))
                func = node.func
                if _method_on_path(func, node.args):
                    found.append(_where(source, node, f"a path's .{getattr(func, 'attr', '')}()"))
            elif isinstance(node, ast.Dict):
                for key in node.keys:
                    if (
                        isinstance(key, ast.Constant)
                        and isinstance(key.value, str)
                        and _lookup_compares_path(key.value)
                    ):
                        found.append(_where(source, node, f"the lookup {key.value}"))
            elif isinstance(node, ast.Subscript) and _is_path(node.value):
                found.append(_where(source, node, "a path sliced"))
            elif (
                isinstance(node, ast.Compare)
                and any(
                    isinstance(op, ast.Lt | ast.LtE | ast.Gt | ast.GtE | ast.Eq | ast.NotEq)
                    for op in node.ops
                )
                and any(_is_path(side) for side in [node.left, *node.comparators])
            ):
                found.append(_where(source, node, "paths compared"))
    return _in_order(found)


# ---------------------------------------------------------------------------------------------
# Imports


def _imports(source: Source) -> Iterator[tuple[ast.Import | ast.ImportFrom, str]]:
    """Every module `source` imports, wherever in the file (a lazy import is a dependency too),
    but those only for the type checker."""
    skipped: set[int] = set()
    for node in ast.walk(source.tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(n) for n in ast.walk(node))
    for node in ast.walk(source.tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = source.module.split(".")
                if source.path.name != "__init__.py":
                    base.pop()
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            yield node, module
            for alias in node.names:
                yield node, f"{module}.{alias.name}"


def _package_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == PROJECT else None


def adapter_imports(root: Path = ROOT) -> list[str]:
    """Domains (every package but the adapters) importing an adapter."""
    found: list[str] = []
    for source in sources(root):
        if source.package in ADAPTERS:
            continue
        seen: set[tuple[int, str]] = set()
        for node, module in _imports(source):
            target = _package_of(module)
            if target in ADAPTERS and (node.lineno, target) not in seen:
                seen.add((node.lineno, target))
                found.append(
                    _where(source, node, f"the domain {source.package} imports the adapter {target}")
                )
    return _in_order(found)


def dependencies(root: Path = ROOT) -> dict[str, set[str]]:
    """The packages each package imports."""
    graph: dict[str, set[str]] = {}
    for source in sources(root):
        edges = graph.setdefault(source.package, set())
        for _node, module in _imports(source):
            target = _package_of(module)
            if target is not None and target != source.package and (root / target).is_dir():
                edges.add(target)
    return graph


# Imports that close a cycle today, each to be removed (the test fails when one is gone and still
# listed, so the list only shrinks). None is left: the last two (audit -> org, appeals -> routing)
# went when the audit pages moved to `auditor` and the clerk's intake page to `shell`.
KNOWN_BACK_EDGES: frozenset[tuple[str, str]] = frozenset()


def import_cycles(root: Path = ROOT, *, known: frozenset[tuple[str, str]] = frozenset()) -> list[str]:
    """Each cycle of the package graph, once, as "a -> b -> a"; imports in `known` left out."""
    graph = {p: {q for q in qs if (p, q) not in known} for p, qs in dependencies(root).items()}
    found: list[str] = []
    seen: set[frozenset[str]] = set()

    def walk(start: str, node: str, trail: list[str]) -> None:
        for nxt in sorted(graph.get(node, ())):
            if nxt == start:
                members = frozenset(trail)
                if members not in seen:
                    seen.add(members)
                    found.append(" -> ".join([*trail, start]))
            elif nxt not in trail and nxt > start:
                walk(start, nxt, [*trail, nxt])

    for start in sorted(graph):
        walk(start, start, [start])
    return found


# ---------------------------------------------------------------------------------------------
# Views


def _is_view_module(source: Source) -> bool:
    name = source.path.stem
    return (
        name == "views"
        or name.endswith("_views")
        or "views" in source.relative.parts[:-1]
        or "templatetags" in source.relative.parts[:-1]
    )


def manager_uses(root: Path = ROOT) -> list[str]:
    """A view or a template tag reaching a model manager (`X.objects`, `get_object_or_404(X)`)."""
    found: list[str] = []
    for source in sources(root):
        if not _is_view_module(source):
            continue
        for node in ast.walk(source.tree):
            if isinstance(node, ast.Attribute) and node.attr in MANAGERS:
                found.append(_where(source, node, f"a view uses the model manager .{node.attr}"))
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in SHORTCUTS:
                found.append(_where(source, node, f"a view queries through {node.func.id}()"))
    return _in_order(found)


# ---------------------------------------------------------------------------------------------
# Error codes

CODES_MODULE = "codes.py"
# Query methods whose `code=` is a model field (a category's or a unit's code), not an error.
QUERY_METHODS = frozenset(
    {"filter", "exclude", "get", "create", "get_or_create", "update_or_create", "update", "Q", "values"}
)


def _code_positions(root: Path) -> dict[str, dict[str, set[int]]]:
    """Functions that take an error code positionally, by module: name → the argument's index
    (`fail(message, field, code)`, `error_response(status, message, code)`)."""
    found: dict[str, dict[str, set[int]]] = {}
    for source in sources(root):
        for node in ast.walk(source.tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                names = [a.arg for a in [*node.args.posonlyargs, *node.args.args]]
                if "code" in names and names[0] not in ("self", "cls"):
                    found.setdefault(source.module, {}).setdefault(node.name, set()).add(names.index("code"))
    return found


def _positions_seen_from(source: Source, positions: dict[str, dict[str, set[int]]]) -> dict[str, set[int]]:
    """The functions of `positions` that `source` can call by a name: its own, those it imports by
    name, and those of a module it imports (`errors.error_response`)."""
    seen = dict(positions.get(source.module, {}))
    for node, module in _imports(source):
        if not isinstance(node, ast.ImportFrom):
            continue
        for alias in node.names:
            local = alias.asname or alias.name
            if module in positions and alias.name in positions[module]:
                seen[local] = positions[module][alias.name]
            for name, index in positions.get(f"{module}.{alias.name}", {}).items():
                seen[f"{local}.{name}"] = index
    return seen


def _literal(node: ast.AST | None) -> str | None:
    """A non-empty string constant (an empty string is no code)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value:
        return node.value
    return None


def _callee(func: ast.expr) -> str:
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _called_name(func: ast.expr) -> str:
    """`fail` for `fail(...)`, `errors.error_response` for `errors.error_response(...)`."""
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return f"{func.value.id}.{func.attr}"
    return getattr(func, "id", "")


def error_code_literals(root: Path = ROOT) -> list[str]:
    """An error code spelled as a string literal outside a `codes.py`: the `code=` of a call (a
    query's `code=` aside), a `{"code": ...}` answer, a code passed positionally to a function
    whose parameter is `code`, or a parameter `code`'s default."""
    positions = _code_positions(root)
    found: list[str] = []
    for source in sources(root):
        if source.path.name == CODES_MODULE:
            continue
        callable_here = _positions_seen_from(source, positions)
        for node in ast.walk(source.tree):
            if isinstance(node, ast.Call):
                callee = _callee(node.func)
                for keyword in node.keywords:
                    value = _literal(keyword.value)
                    if keyword.arg == "code" and value and callee not in QUERY_METHODS:
                        found.append(_where(source, node, f'the error code "{value}" spelled out'))
                for index in sorted(callable_here.get(_called_name(node.func), ())):
                    value = _literal(node.args[index]) if index < len(node.args) else None
                    if value:
                        found.append(_where(source, node, f'the error code "{value}" spelled out'))
            elif isinstance(node, ast.Dict):
                for key, item in zip(node.keys, node.values, strict=True):
                    value = _literal(item)
                    if key is not None and _literal(key) == "code" and value:
                        found.append(_where(source, node, f'the error code "{value}" spelled out'))
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                arguments = node.args
                positional = [*arguments.posonlyargs, *arguments.args]
                defaults = [None] * (len(positional) - len(arguments.defaults)) + list(arguments.defaults)
                for argument, default in [
                    *zip(positional, defaults, strict=True),
                    *zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True),
                ]:
                    value = _literal(default)
                    if argument.arg == "code" and value:
                        found.append(_where(source, node, f'the error code "{value}" as a default'))
    return _in_order(found)


# ---------------------------------------------------------------------------------------------
# Write services

WRITES_MODULE = ("core", "writes.py")
WRITE_MARKS = frozenset({"write_service", "write_steps"})
# The audit log's append functions run inside every service's transaction and open none of
# their own: they are the services' building block, not services. Its sealer's transactions are
# durable by hand (each batch of sealing is one, never inside a writer's), and the log's module
# is outside both halves of the rule.
WRITE_EXEMPT = frozenset({("audit", "services.py")})
# Model and queryset methods that write (or lock rows for a write); `update` only on a queryset.
WRITE_METHODS = frozenset(
    {
        "save",
        "delete",
        "create",
        "bulk_create",
        "bulk_update",
        "get_or_create",
        "update_or_create",
        "select_for_update",
        "atomic",
    }
)


def _is_services_module(source: Source) -> bool:
    name = source.path.name
    return name in ("services.py", "signin.py") or (name.startswith("services_") and name.endswith(".py"))


def _writes_itself(call: ast.Call) -> bool:
    """`x.save()`, `X.objects.create(...)`, `qs.filter(...).update(...)`, `transaction.atomic()`."""
    func = call.func
    if isinstance(func, ast.Name):
        return func.id == "atomic"
    if not isinstance(func, ast.Attribute):
        return False
    if func.attr in WRITE_METHODS:
        return True
    owner = func.value
    return func.attr == "update" and (
        isinstance(owner, ast.Call) or (isinstance(owner, ast.Attribute) and owner.attr in MANAGERS)
    )


def _local_names(source: Source) -> dict[str, str]:
    """What each name imported into `source` stands for, fully qualified: a module
    (`appeals` → `jingmin.appeals.services`) or a module's function (`jingmin.audit.services.audit_record`)."""
    names: dict[str, str] = {}
    for node, _module in _imports(source):
        if isinstance(node, ast.ImportFrom):
            base = _module if node.level == 0 else None
            for alias in node.names:
                if base is not None and _module == (node.module or ""):
                    names[alias.asname or alias.name] = f"{base}.{alias.name}"
        else:
            for alias in node.names:
                if alias.asname:
                    names[alias.asname] = alias.name
    return names


def _function_called(source: Source, local: dict[str, str], defined: set[str], func: ast.expr) -> str | None:
    """The qualified name of the function a call reaches, when it is one of the project's."""
    if isinstance(func, ast.Name):
        if func.id in defined:
            return f"{source.module}.{func.id}"
        return local.get(func.id)
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in local:
        return f"{local[func.value.id]}.{func.attr}"
    return None


def _is_marked(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    for decorator in function.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
        if name in WRITE_MARKS:
            return True
    return False


def unguarded_writes(root: Path = ROOT) -> list[str]:
    """A public module-level function of a services module (`services.py`, `services_*.py`,
    `signin.py`) that writes but is no write service, and `durable=True` outside the one module
    that opens durable transactions.

    A function writes when its body (closures included) calls a model or queryset method that
    writes (`save`, `create`, `delete`, `update` on a queryset, `select_for_update`, ...), opens
    `transaction.atomic()`, or calls a function of the project that writes, followed through every
    module's module-level functions."""
    direct: dict[str, bool] = {}
    calls: dict[str, set[str]] = {}
    public: list[tuple[Source, ast.FunctionDef | ast.AsyncFunctionDef, str]] = []
    found: list[str] = []
    for source in sources(root):
        exempt = (source.package, source.path.name) in WRITE_EXEMPT
        if source.relative.parts != WRITES_MODULE and not exempt:
            for node in ast.walk(source.tree):
                if isinstance(node, ast.keyword) and node.arg == "durable":
                    value = node.value
                    if isinstance(value, ast.Constant) and value.value is True:
                        found.append(
                            _where(
                                source, value, "a durable transaction opened by hand, not by @write_service"
                            )
                        )
        functions = [n for n in source.tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
        defined = {f.name for f in functions}
        local = _local_names(source)
        for function in functions:
            name = f"{source.module}.{function.name}"
            direct[name] = False
            calls[name] = set()
            for node in ast.walk(function):
                if isinstance(node, ast.Call):
                    if _writes_itself(node):
                        direct[name] = True
                    callee = _function_called(source, local, defined, node.func)
                    if callee is not None:
                        calls[name].add(callee)
            if (
                _is_services_module(source)
                and not exempt
                and not function.name.startswith("_")
                and not _is_marked(function)
            ):
                public.append((source, function, name))
    writes = {name for name, itself in direct.items() if itself}
    grew = True
    while grew:
        grew = False
        for name, callees in calls.items():
            if name not in writes and callees & writes:
                writes.add(name)
                grew = True
    for source, function, name in public:
        if name in writes:
            found.append(_where(source, function, f"{function.name}() writes but is no @write_service"))
    return _in_order(found)
