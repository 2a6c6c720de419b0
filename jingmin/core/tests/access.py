"""The permission matrix: every URL pattern of the project, tried by every actor.

Each app states its rows beside its tests, in `jingmin/<app>/tests/access_rows.py`:

    NEEDS = ("ledger",)              # apps whose objects this app's objects build on (optional)

    def build(w: World) -> object:   # this app's objects, kept as `w.<app label>` (optional)
        ...

    def forget() -> None:            # what the app keeps in the process, cleared (optional)
        ...

    ROWS = [page(...), form(...), action(...), Row(...)]

A row is one URL pattern (by its name) and its cases: the method, how to build the arguments
from the world, the body of a request that succeeds, and which actors are allowed. The one test
(`test_access_matrix.py`) collects every app's rows, fails when a URL pattern of the project has
none, and runs every cell (case × actor):

- allowed: the answer is one of the case's `ok` statuses (a redirect goes where `lands` says);
  a POST wrote something (unless the case says it only reads); a GET wrote nothing but audit
  rows (reads of personal records are audited) and what the case names in `may_write`; a public
  page shows the same with a staff session as without;
- refused: 403 where the record is in the person's scope and the step is not their role's, 404
  where it is outside their scope (Olga wherever Oliver, of the same role, is allowed; and the
  case's `outside`), the sign-in page (or the API's 401/403) for anonymous; nothing changed; and
  the same request with an empty body is refused alike, before the body is read.

"Nothing changed" is the write journal of the database (every INSERT, UPDATE and DELETE by table,
counted inside the request's transaction: PostgreSQL's own per-transaction counters, temporary
triggers on SQLite), the files under MEDIA_ROOT and the SMS and e-mail outboxes. The journal sees
a write even when it put back the value that was there, which row counts and checksums would miss.
The person's own session row is not data of the product and is left out.

The world is built once per test module (and per test process), inside a transaction that is
rolled back at the end; each cell runs in a savepoint of its own, so what an allowed request
changes is gone before the next cell.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.apps import apps
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from rest_framework.authtoken.models import Token

ANONYMOUS = "anonymous"
PERSONAS = ("clara", "oliver", "olga", "chen", "li", "ines", "sam", "sue", "audrey")
ACTORS = (ANONYMOUS, *PERSONAS)

SIGNED_IN = frozenset(PERSONAS)
EVERYONE = frozenset(ACTORS)
BUSINESS = frozenset({"clara", "oliver", "olga", "chen", "li", "ines"})
# The business personas whose scope holds station A and district A1, where the world lives.
STATION_A = BUSINESS - {"olga"}
NOBODY: frozenset[str] = frozenset()

# Reads of personal records write these by design, on any page that shows one.
AUDIT_TABLES = frozenset({"audit_auditentry", "audit_audithead"})
# The person's own session (last-seen time, messages): not data of the product.
SESSION_TABLES = frozenset({"django_session"})

Builder = Callable[[Any], Mapping[str, Any]]


def _nothing(w: Any) -> Mapping[str, Any]:
    return {}


# ---------------------------------------------------------------------------------------------
# Rows and cases


@dataclass(frozen=True)
class Case:
    """One request of a row: the method, its arguments and body, and who may make it."""

    method: str
    allowed: frozenset[str]
    label: str = ""
    args: Builder = _nothing
    query: Builder = _nothing
    body: Builder = _nothing
    # What an allowed actor gets; a redirect must land on the URL named `lands`.
    ok: tuple[int, ...] = (200,)
    ok_for: Mapping[str, tuple[int, ...]] = field(default_factory=dict)  # per actor, where it differs
    lands: str | tuple[str, ...] = ""
    # The allowed actors whose request must write something (default: every one, for a POST).
    writes: frozenset[str] | None = None
    # Tables a GET writes by design (besides the audit rows of reads), and why in `why`.
    may_write: frozenset[str] = NOBODY
    # Actors refused by scope rather than by role (404, not 403): Olga wherever Oliver is allowed,
    # and whoever else the case's object is hidden from.
    outside: frozenset[str] = NOBODY
    # An allowed request that writes also writes its audit row, unless this says why not.
    unaudited: str = ""
    # A restricted record whose refused readings are recorded: a refused signed-in actor leaves
    # an audit row, and nothing else (say why).
    audits_refusal: str = ""
    # JSON body and a token, as programs call the API.
    api: bool = False
    # A public page: a staff session changes nothing about what it shows.
    public: bool = False
    headers: Mapping[str, str] = field(default_factory=dict)
    why: str = ""

    @property
    def names_an_object(self) -> bool:
        return self.args is not _nothing

    def ok_of(self, actor: str) -> tuple[int, ...]:
        return self.ok_for.get(actor, self.ok)

    def must_write(self, actor: str) -> bool:
        if self.writes is None:
            return self.method == "POST" and actor in self.allowed
        return actor in self.writes


@dataclass(frozen=True)
class Row:
    name: str
    cases: tuple[Case, ...]


def get(allowed: frozenset[str], **kwargs: Any) -> Case:
    return Case("GET", allowed, **kwargs)


def post(allowed: frozenset[str], **kwargs: Any) -> Case:
    kwargs.setdefault("ok", (302,))
    return Case("POST", allowed, **kwargs)


def page(name: str, allowed: frozenset[str], **kwargs: Any) -> Row:
    """A page that is only read."""
    return Row(name, (get(allowed, **kwargs),))


def form(
    name: str,
    allowed: frozenset[str],
    *,
    body: Builder,
    lands: str = "",
    args: Builder = _nothing,
    query: Builder = _nothing,
    ok: tuple[int, ...] = (302,),
    get_ok: tuple[int, ...] = (200,),
    **kwargs: Any,
) -> Row:
    """A page with a form: whoever may send it may open it."""
    return Row(
        name,
        (
            get(allowed, args=args, query=query, ok=get_ok, **kwargs),
            post(allowed, args=args, query=query, body=body, ok=ok, lands=lands, **kwargs),
        ),
    )


def action(
    name: str,
    allowed: frozenset[str],
    *,
    body: Builder = _nothing,
    lands: str = "",
    args: Builder = _nothing,
    public: bool = False,
    **kwargs: Any,
) -> Row:
    """An endpoint that only takes a POST: a GET is 405 for whoever gets past the sign-in."""
    return Row(
        name,
        (
            get(EVERYONE if public else SIGNED_IN, args=args, ok=(405,)),
            post(allowed, args=args, body=body, lands=lands, **kwargs),
        ),
    )


def label_of(case: Case) -> str:
    return f"{case.method}[{case.label}]" if case.label else case.method


# ---------------------------------------------------------------------------------------------
# The rows of every app, and the URL patterns of the project


@dataclass(frozen=True)
class RowsModule:
    label: str
    module: ModuleType

    @property
    def rows(self) -> list[Row]:
        return list(getattr(self.module, "ROWS", []))

    @property
    def needs(self) -> tuple[str, ...]:
        return tuple(getattr(self.module, "NEEDS", ()))


def rows_modules() -> list[RowsModule]:
    """Every app's `tests/access_rows.py`, each after the apps it needs."""
    found: dict[str, RowsModule] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("jingmin."):
            continue
        name = f"{config.name}.tests.access_rows"
        if importlib.util.find_spec(f"{config.name}.tests") is None:
            continue
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        found[config.label] = RowsModule(config.label, module)
    ordered: list[RowsModule] = []

    def visit(label: str, chain: tuple[str, ...]) -> None:
        if label in chain:
            raise AssertionError(f"access_rows NEEDS form a cycle: {' -> '.join((*chain, label))}")
        if any(m.label == label for m in ordered):
            return
        for need in found[label].needs:
            assert need in found, f"{label}'s access_rows needs {need}, which has no access_rows"
            visit(need, (*chain, label))
        ordered.append(found[label])

    for label in sorted(found):
        visit(label, ())
    return ordered


def all_rows() -> dict[str, Row]:
    rows: dict[str, Row] = {}
    for module in rows_modules():
        for row in module.rows:
            assert row.name not in rows, f"{row.name} has rows in two places"
            rows[row.name] = row
    return rows


@dataclass(frozen=True)
class Pattern:
    name: str  # namespace:name, or the route itself for a pattern without a name
    route: str  # as `ResolverMatch.route` spells it


def url_patterns() -> list[Pattern]:
    """Every URL pattern of the project, found by walking the resolver."""

    def walk(resolver: URLResolver, route: str, namespace: str) -> Iterator[Pattern]:
        for entry in resolver.url_patterns:
            joined = URLResolver._join_route(route, str(entry.pattern))  # type: ignore[attr-defined]
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                yield from walk(entry, joined, inner)
            elif isinstance(entry, URLPattern):
                yield Pattern(f"{namespace}{entry.name}" if entry.name else joined, joined)

    return list(walk(get_resolver(), "", ""))


# ---------------------------------------------------------------------------------------------
# The world


class World(SimpleNamespace):
    """The personas (`w.p`), each app's objects (`w.<app label>`), a signed-in session and an
    API token per persona, and the write journal."""

    p: Any
    sessions: dict[str, str]
    tokens: dict[str, str]
    clients: dict[tuple[str, bool], Client]
    journal: Journal


def url_of(row: Row, case: Case, w: World) -> str:
    url = reverse(row.name, kwargs=dict(case.args(w)))
    query = case.query(w)
    return f"{url}?{urlencode(query, doseq=True)}" if query else url


def client_for(w: World, actor: str, *, api: bool = False) -> Client:
    """The actor's client, with nothing but its session cookie (or token) from earlier cells.
    Clients are kept: a new one loads the middleware again, which costs more than the request."""
    client = w.clients.get((actor, api))
    if client is None:
        client = w.clients[(actor, api)] = Client()
        if api and actor != ANONYMOUS:
            client.defaults["HTTP_AUTHORIZATION"] = f"Token {w.tokens[actor]}"
    client.cookies.clear()
    if actor != ANONYMOUS and not api:
        client.cookies[settings.SESSION_COOKIE_NAME] = w.sessions[actor]
    return client


def send(client: Client, case: Case, url: str, w: World) -> Any:
    headers = dict(case.headers)
    if case.method == "GET":
        return client.get(url, headers=headers)
    body = dict(case.body(w))
    if case.api:
        return client.generic(
            case.method, url, json.dumps(body), content_type="application/json", headers=headers
        )
    return client.post(url, body, headers=headers)


@contextmanager
def built_world(media_root: Path) -> Iterator[World]:
    """Build the world in a transaction that is rolled back when the block ends."""
    modules = rows_modules()
    with override_settings(
        # Hashing with the production work factor would cost a quarter second per persona.
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        MEDIA_ROOT=media_root,
        SMS_BACKEND="jingmin.notify.sms.LocmemSmsBackend",
    ):
        # Before the world's transaction: on SQLite, a schema change inside it would make every
        # savepoint rollback reload the whole schema.
        journal = Journal.start()
        outer = transaction.atomic()
        # Services open durable transactions, which Django allows inside a test case's atomic
        # blocks only; this block stands where a test class's would.
        outer._from_testcase = True  # type: ignore[attr-defined]
        try:
            with outer:
                forget_process_caches(modules)
                w = populated_world(modules)
                w.journal = journal
                try:
                    yield w
                finally:
                    transaction.set_rollback(True)
        finally:
            journal.stop()
            forget_process_caches(modules)


def populated_world(modules: list[RowsModule]) -> World:
    """The personas, every app's objects, and a signed-in session and an API token per persona."""
    from conftest import make_personas, signed_in  # the root conftest: the personas

    w = World(p=make_personas())
    for module in modules:
        build = getattr(module.module, "build", None)
        if build is not None:
            setattr(w, module.label, build(w))
    w.sessions, w.tokens, w.clients = {}, {}, {}
    for name in PERSONAS:
        user = getattr(w.p, name)
        w.sessions[name] = signed_in(user).cookies[settings.SESSION_COOKIE_NAME].value
        w.tokens[name] = Token.objects.get_or_create(user=user)[0].key
    return w


def forget_process_caches(modules: list[RowsModule]) -> None:
    """What a process keeps besides the database (the cache, and what an app's rows module's
    `forget()` clears: the calendar, the active routing model), so that the world and the tests
    after it start afresh."""
    cache.clear()
    for module in modules:
        forget = getattr(module.module, "forget", None)
        if forget is not None:
            forget()


# ---------------------------------------------------------------------------------------------
# What changed


class Journal:
    """Every INSERT, UPDATE and DELETE by table, counted since a mark, inside the transaction."""

    def mark(self) -> Any:
        raise NotImplementedError

    def since(self, mark: Any) -> Counter[str]:
        raise NotImplementedError

    def stop(self) -> None:
        pass

    @staticmethod
    def start() -> Journal:
        if connection.vendor == "postgresql":
            return _PostgresJournal()
        return _SqliteJournal()


class _PostgresJournal(Journal):
    # The server's own counters of this transaction (savepoints rolled back included).
    SQL = (
        "SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_xact_user_tables "
        "WHERE n_tup_ins + n_tup_upd + n_tup_del > 0"
    )

    def _counts(self) -> dict[tuple[str, str], int]:
        with connection.cursor() as cursor:
            cursor.execute(self.SQL)
            rows = cursor.fetchall()
        counts: dict[tuple[str, str], int] = {}
        for table, inserted, updated, deleted in rows:
            counts[(table, "insert")] = inserted
            counts[(table, "update")] = updated
            counts[(table, "delete")] = deleted
        return counts

    def mark(self) -> Any:
        return self._counts()

    def since(self, mark: Any) -> Counter[str]:
        changed: Counter[str] = Counter()
        for (table, op), n in self._counts().items():
            if n > mark.get((table, op), 0):
                changed[f"{table} {op}"] += n - mark.get((table, op), 0)
        return changed


class _SqliteJournal(Journal):
    # Temporary triggers (this connection only) call back into this object for every written row:
    # no table is written to count the writes.
    def __init__(self) -> None:
        self.writes: Counter[str] = Counter()
        self.total = 0
        connection.ensure_connection()
        connection.connection.create_function("jm_access_write", 2, self._count)
        with connection.cursor() as cursor:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
            tables = cursor.fetchall()
            virtual = [name for name, sql in tables if (sql or "").upper().startswith("CREATE VIRTUAL")]
            for name, _sql in tables:
                # Full-text tables are written by the triggers of the tables they index.
                if name.startswith("sqlite_") or any(name.startswith(v) for v in virtual):
                    continue
                for op in ("INSERT", "UPDATE", "DELETE"):
                    cursor.execute(
                        f'CREATE TEMP TRIGGER "jm_access_{op.lower()}_{name}" AFTER {op} ON main."{name}" '
                        f"BEGIN SELECT jm_access_write('{name}', '{op.lower()}'); END"
                    )

    def stop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name FROM sqlite_temp_master WHERE type = 'trigger' AND name LIKE 'jm_access_%'"
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f'DROP TRIGGER temp."{name}"')

    def _count(self, table: str, op: str) -> None:
        self.writes[f"{table} {op}"] += 1
        self.total += 1

    def mark(self) -> Any:
        return (self.total, Counter(self.writes))

    def since(self, mark: Any) -> Counter[str]:
        total, writes = mark
        if self.total == total:
            return Counter()
        return self.writes - writes


@dataclass(frozen=True)
class State:
    journal: Any
    files: int
    sms: int
    mail: int


def state_of(w: World) -> State:
    from jingmin.notify import sms

    files = sum(len(names) for _dir, _subdirs, names in os.walk(settings.MEDIA_ROOT))
    return State(w.journal.mark(), files, len(sms.outbox), len(getattr(mail, "outbox", [])))


def changes_since(w: World, before: State) -> Counter[str]:
    """What was written since `before`, the person's own session left out."""
    after = state_of(w)
    changed = w.journal.since(before.journal)
    for key in list(changed):
        if key.split(" ")[0] in SESSION_TABLES:
            del changed[key]
    for what in ("files", "sms", "mail"):
        grown = getattr(after, what) - getattr(before, what)
        if grown:
            changed[what] += grown
    return changed


# ---------------------------------------------------------------------------------------------
# One cell


# Values made afresh for each answer: the CSRF token and a form's own submission key.
_FRESH = re.compile(rb'(name="(?:csrfmiddlewaretoken|submission_key)" value=")[^"]*(")')
_MAIN = re.compile(rb"<main\b.*</main>", re.S)


def body_of(response: Any) -> bytes:
    """The whole answer; a streamed one (an export, a file) is read to its end, so that what its
    generator does happens inside the cell."""
    return b"".join(response.streaming_content) if response.streaming else bytes(response.content)


def _public_content(body: bytes) -> bytes:
    """What a public page shows: its main part (the page shell names who is signed in, which is
    no business of the page), without the values made afresh for each answer."""
    main = _MAIN.search(body)
    return _FRESH.sub(rb"\1\2", main.group(0) if main else body)


def check_cell(w: World, row: Row, case: Case, actor: str) -> None:
    url = url_of(row, case, w)
    match = resolve(urlsplit(url).path)
    assert match.view_name == row.name, f"the row's URL {url} is {match.view_name}'s"
    before = state_of(w)
    response = send(client_for(w, actor, api=case.api), case, url, w)
    body = body_of(response)
    changed = changes_since(w, before)
    status = response.status_code
    where = f"{case.method} {url} as {actor}: {status}"
    if actor in case.allowed:
        assert status in case.ok_of(actor), f"{where}, expected {case.ok_of(actor)} ({case.why or 'allowed'})"
        if 300 <= status < 400 and case.lands:
            landed = resolve(urlsplit(response["Location"]).path).view_name
            targets = (case.lands,) if isinstance(case.lands, str) else case.lands
            assert landed in targets, f"{where} went to {response['Location']}, not {case.lands}"
        if case.must_write(actor):
            assert changed, f"{where} was allowed but wrote nothing: is the body one that succeeds?"
        if case.method != "GET" and changed and not case.unaudited:
            assert changed["audit_auditentry insert"], f"{where} wrote {dict(changed)} but no audit row"
        if case.method == "GET":
            unexpected = {k for k in changed if k.split(" ")[0] not in AUDIT_TABLES | case.may_write}
            assert not unexpected, f"{where} wrote {sorted(unexpected)} on a GET"
        if case.public and case.method == "GET" and actor != ANONYMOUS:
            seen = send(client_for(w, ANONYMOUS, api=case.api), case, url, w)
            assert seen.status_code == status and _public_content(body_of(seen)) == _public_content(body), (
                f"{where}: the public answer differs with a staff session"
            )
        return
    _assert_refused(where, actor, case, response)
    if case.audits_refusal and actor != ANONYMOUS:
        assert changed["audit_auditentry insert"], f"{where} was refused but left no audit row"
        changed = Counter({k: v for k, v in changed.items() if k.split(" ")[0] not in AUDIT_TABLES})
    assert not changed, f"{where} was refused but wrote {dict(changed)}"
    if case.method == "POST" and case.body is not _nothing:
        _check_refused_without_body(w, case, url, actor)


def _scope_only(actor: str, case: Case) -> bool:
    """Whether only scope keeps the actor out. Olga holds Oliver's role: where he may and she may
    not, only scope tells them apart."""
    return actor in case.outside or (actor == "olga" and "oliver" in case.allowed)


API_REFUSALS = {401: "not_authenticated", 403: "permission_denied", 404: "not_found"}


def _assert_refused(where: str, actor: str, case: Case, response: Any) -> None:
    status = response.status_code
    if case.api:
        # A program reads the code of the API's one error shape, not the status alone.
        assert response.json().get("code") == API_REFUSALS.get(status), f"{where}: {response.content[:200]!r}"
    if actor == ANONYMOUS:
        to_signin = status == 302 and urlsplit(response["Location"]).path == reverse("org:signin")
        assert to_signin or status in (401, 403, 404), f"{where}, expected the sign-in page or a refusal"
    elif _scope_only(actor, case):
        assert status == 404, f"{where}, expected 404: outside this person's scope the record does not exist"
    else:
        assert status == 403, (
            f"{where}, expected 403: the record is in this person's scope, the step is not their role's"
        )


def _check_refused_without_body(w: World, case: Case, url: str, actor: str) -> None:
    """A refused actor is refused before the body is read: a role that may never do this learns
    nothing from a form error. (Refused by scope, a person may hear about a body that names
    nothing, as long as they are not let in.)"""
    before = state_of(w)
    response = send(client_for(w, actor, api=case.api), replace(case, body=_nothing), url, w)
    body_of(response)
    changed = changes_since(w, before)
    where = f"{case.method} {url} with an empty body as {actor}: {response.status_code}"
    if _scope_only(actor, case):
        assert response.status_code >= 400, f"{where}, expected a refusal or an error"
    else:
        _assert_refused(where, actor, case, response)
    assert not changed, f"{where} was refused but wrote {dict(changed)}"
