"""The architecture's rules hold for the code, and each rule's checker reports a planted violation.

The checkers (`jingmin/core/architecture.py`) read a source tree with `ast`; the first tests run
them on the project, the others on a tiny package tree written into a temporary directory, so a
checker that could not fail would fail here.
"""

from pathlib import Path
from textwrap import dedent

from jingmin.core import architecture as arch


def plant(root: Path, files: dict[str, str]) -> Path:
    """A source tree under `root`: `{"appeals/views.py": "..."}`; packages get an __init__.py."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        for parent in path.relative_to(root).parents:
            if parent != Path("."):
                (root / parent / "__init__.py").touch()
        path.write_text(dedent(text))
    return root


# ---------------------------------------------------------------------------------------------
# The project keeps the rules


def test_only_the_scope_module_compares_unit_paths():
    assert arch.path_comparisons() == []


def test_domains_never_import_adapters():
    assert arch.adapter_imports() == []


def test_views_and_template_tags_never_use_a_model_manager():
    assert arch.manager_uses() == []


def test_error_codes_are_never_spelled_as_literals():
    assert arch.error_code_literals() == []


def test_no_import_cycle_between_packages():
    assert arch.import_cycles(known=arch.KNOWN_BACK_EDGES) == []


def test_every_known_back_edge_still_exists():
    # A back edge removed from the code is removed from the list too, so the list only shrinks.
    graph = arch.dependencies()
    assert [(a, b) for a, b in sorted(arch.KNOWN_BACK_EDGES) if b not in graph.get(a, set())] == []


def test_every_public_write_of_a_services_module_is_a_write_service():
    assert arch.unguarded_writes() == []


def test_the_checkers_read_the_whole_project():
    packages = {source.package for source in arch.sources()}
    assert {"appeals", "ledger", "visits", "org", "core", "api", "portal", "open311", "field"} <= packages


# ---------------------------------------------------------------------------------------------
# Planted violations


def test_a_planted_path_prefix_lookup_is_reported(tmp_path):
    root = plant(
        tmp_path,
        {
            "ledger/selectors.py": """
                def people(actor, Person):
                    return Person.objects.filter(district_path__startswith=actor.unit.path)
            """
        },
    )
    assert arch.path_comparisons(root) == [
        "jingmin/ledger/selectors.py:3: the lookup district_path__startswith"
    ]


def test_planted_path_comparisons_of_every_form_are_reported(tmp_path):
    root = plant(
        tmp_path,
        {
            "visits/services.py": """
                def f(actor, record, unit, Q):
                    a = record.district_path.startswith(actor.unit.path)
                    b = unit.path[:7]
                    c = unit.path.strip("/").split("/")
                    d = Q(**{"unit__path__startswith": unit.path})
                    e = unit_path < unit.path
                    g = User.objects.filter(unit__path__in=[unit.path[:7], unit.path])
                    h = record.district_path != unit.path
                    return a, b, c, d, e, g, h
            """,
            # The same in the scope module is its job, and a request's path is no unit's.
            "org/scope.py": """
                def contains(top, path):
                    return path.startswith(top) and top.path[:7]
            """,
            "org/middleware.py": """
                def exempt(request):
                    return request.path.startswith("/static/")
            """,
        },
    )
    found = arch.path_comparisons(root)
    assert [line.split(":")[1] for line in found] == ["3", "4", "5", "6", "7", "8", "8", "9"], found
    assert all(line.startswith("jingmin/visits/services.py:") for line in found)


def test_a_planted_domain_importing_an_adapter_is_reported(tmp_path):
    root = plant(
        tmp_path,
        {
            "appeals/services.py": """
                from jingmin.open311.models import Partner

                def f():
                    from jingmin import portal
                    from jingmin.api.idempotency import idempotent
            """,
            # An adapter may import a domain, and a domain's tests may drive an adapter.
            "open311/views.py": "from jingmin.appeals import services\n",
            "appeals/tests/test_x.py": "from jingmin.api import views\n",
        },
    )
    assert arch.adapter_imports(root) == [
        "jingmin/appeals/services.py:2: the domain appeals imports the adapter open311",
        "jingmin/appeals/services.py:5: the domain appeals imports the adapter portal",
        "jingmin/appeals/services.py:6: the domain appeals imports the adapter api",
    ]


def test_a_planted_view_using_a_model_manager_is_reported(tmp_path):
    root = plant(
        tmp_path,
        {
            "appeals/views.py": """
                from django.shortcuts import get_object_or_404

                from jingmin.appeals.models import Appeal

                def detail(request, pk):
                    first = Appeal.objects.get(pk=pk)
                    second = Appeal._default_manager.filter(pk=pk)
                    return get_object_or_404(Appeal, pk=pk), first, second
            """,
            "ledger/templatetags/ledger.py": """
                def tag_names(Tag, codes):
                    return Tag.objects.filter(code__in=codes)
            """,
            # Selectors are where queries belong.
            "appeals/selectors.py": """
                def appeal_get(Appeal, pk):
                    return Appeal.objects.get(pk=pk)
            """,
        },
    )
    assert arch.manager_uses(root) == [
        "jingmin/appeals/views.py:7: a view uses the model manager .objects",
        "jingmin/appeals/views.py:8: a view uses the model manager ._default_manager",
        "jingmin/appeals/views.py:9: a view queries through get_object_or_404()",
        "jingmin/ledger/templatetags/ledger.py:3: a view uses the model manager .objects",
    ]


def test_a_planted_import_cycle_is_reported(tmp_path):
    root = plant(
        tmp_path,
        {
            "ledger/services.py": "from jingmin.visits.selectors import visit_scope\n",
            "visits/selectors.py": "def visit_scope():\n    from jingmin.ledger import services\n",
            # A three-package cycle through a relative import, and an import only for the type
            # checker, which is no dependency.
            "appeals/models.py": "from jingmin.routing import learning\n",
            "routing/learning.py": "from ..worktime import calendar\n",
            "worktime/calendar.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from jingmin.org import models\nfrom jingmin.appeals import models\n",
            "org/models.py": "from jingmin.worktime import calendar\n",
        },
    )
    assert arch.import_cycles(root) == [
        "appeals -> routing -> worktime -> appeals",
        "ledger -> visits -> ledger",
    ]
    # A known back edge is left out of the graph, and only that edge.
    assert arch.import_cycles(root, known=frozenset({("visits", "ledger")})) == [
        "appeals -> routing -> worktime -> appeals"
    ]


def test_planted_error_codes_spelled_as_literals_are_reported(tmp_path):
    root = plant(
        tmp_path,
        {
            "ledger/services.py": """
                from jingmin.core.errors import ServiceError

                def fail(message, field, code="invalid"):
                    return ServiceError(message, code=code, field=field)

                def f(form, Category):
                    a = ServiceError("No.", code="duplicate")
                    b = fail("No.", "name", "too_long")
                    c = {"detail": "No.", "code": "not_found"}
                    form.add_error(None, ValidationError("No.", code="required"))
                    # A query's code is a category's, not an error's; a code passed on is no literal.
                    d = Category.objects.filter(code="order-noise")
                    e = fail("No.", "name", a.code)
                    return a, b, c, d, e
            """,
            "api/auth.py": """
                def refuse(error_response, status):
                    return error_response(status, "Locked.", "locked")

                def error_response(http_status, message, code, *, field=None):
                    return {"code": code}
            """,
            # A function imported from another module, by its name or through its module.
            "api/views.py": """
                from jingmin.api import auth
                from jingmin.api.auth import error_response as answer

                def f():
                    return answer(400, "Wait.", "throttled"), auth.error_response(400, "No.", "error")
            """,
            # The declarations themselves are where the strings belong.
            "ledger/codes.py": """
                from enum import StrEnum

                class ErrorCode(StrEnum):
                    NOT_XLSX = "not_xlsx"

                def fail(code="not_xlsx"):
                    return {"code": "not_xlsx"}
            """,
        },
    )
    assert arch.error_code_literals(root) == [
        'jingmin/api/auth.py:3: the error code "locked" spelled out',
        'jingmin/api/views.py:6: the error code "throttled" spelled out',
        'jingmin/api/views.py:6: the error code "error" spelled out',
        'jingmin/ledger/services.py:4: the error code "invalid" as a default',
        'jingmin/ledger/services.py:8: the error code "duplicate" spelled out',
        'jingmin/ledger/services.py:9: the error code "too_long" spelled out',
        'jingmin/ledger/services.py:10: the error code "not_found" spelled out',
        'jingmin/ledger/services.py:11: the error code "required" spelled out',
    ]


def test_planted_writes_outside_a_write_service_are_reported(tmp_path):
    root = plant(
        tmp_path,
        {
            "ledger/services.py": """
                from django.db import transaction

                from jingmin.audit.services import audit_record
                from jingmin.core.writes import write_service, write_steps
                from jingmin.visits import services as visits

                def house_rename(house, name):
                    house.name = name
                    house.save()

                def house_close(House, pk):
                    House.objects.filter(pk=pk).update(closed=True)

                def house_log(actor, house):
                    audit_record(actor=actor, target=house)

                def house_visit(actor, house):
                    return visits.visit_record(actor=actor, household=house)

                def house_merge(a, b):
                    return _merge(a, b)

                def _merge(a, b):
                    with transaction.atomic(durable=True):
                        return a, b

                @write_service
                def house_create(House, name):
                    return House.objects.create(name=name)

                @write_steps
                def house_sweep(House):
                    for house in House.objects.all():
                        with transaction.atomic():
                            house.save()

                def house_label(house, extra):
                    # A dict's update and a read are no writes.
                    extra.update({"name": house.name})
                    return extra
            """,
            "visits/services.py": """
                from jingmin.core.writes import write_service

                @write_service
                def visit_record(*, actor, household):
                    return household.visits.create(officer=actor)
            """,
            # The audit log's appends are the services' building block; the writes module is the
            # one place that opens a durable transaction.
            "audit/services.py": "def audit_record(*, actor, target):\n    target.save()\n",
            "core/writes.py": "def run(transaction):\n    return transaction.atomic(durable=True)\n",
        },
    )
    assert arch.unguarded_writes(root) == [
        "jingmin/ledger/services.py:8: house_rename() writes but is no @write_service",
        "jingmin/ledger/services.py:12: house_close() writes but is no @write_service",
        "jingmin/ledger/services.py:15: house_log() writes but is no @write_service",
        "jingmin/ledger/services.py:18: house_visit() writes but is no @write_service",
        "jingmin/ledger/services.py:21: house_merge() writes but is no @write_service",
        "jingmin/ledger/services.py:25: a durable transaction opened by hand, not by @write_service",
    ]
