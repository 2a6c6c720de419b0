"""Pages of the visits domain: today's plan, the visit form, a visit, the lists, coverage (a list
and a map) and the plans.

Views read through `selectors` and `coverage` (scoped to the acting user: a record outside the
scope is a 404) and write through `services`; a refused write comes back as a `ServiceError`
shown beside the field it names. Every successful post redirects.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.forms import BaseFormSet
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jingmin.audit.services import audit_read
from jingmin.core.errors import ServiceError
from jingmin.core.forms import form_add_service_error
from jingmin.core.http import StaffRequest, safe_next
from jingmin.ledger import selectors as ledger
from jingmin.ledger.models import Household, Organisation, Person
from jingmin.org.models import Unit, UnitKind, User
from jingmin.org.roles import Cap, can
from jingmin.org.selectors import require, unit_chain
from jingmin.visits import coverage, selectors, services
from jingmin.visits.forms import (
    AmendForm,
    ItemFormSet,
    PlanForm,
    VisitForm,
    filled_rows,
    visit_formsets,
    visit_input,
)
from jingmin.visits.models import FollowUpKind, VisitKind

LIST_LIMIT = 200
PAGE_SIZE = 50
SEARCH_LIMIT = 20


def _int(value: str | None) -> int | None:
    # Eighteen digits at most: a longer "id" is no row, and would overflow the database integer.
    return int(value) if value and value.isdigit() and len(value) <= 18 else None


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


# ---------------------------------------------------------------------------------------------
# What a visit is about


@dataclass(frozen=True)
class Target:
    """The household, person or organisation the form records a visit to, as the page shows it."""

    household: Household | None = None
    person: Person | None = None
    organisation: Organisation | None = None

    @property
    def empty(self) -> bool:
        return self.household is None and self.person is None and self.organisation is None

    @property
    def label(self) -> str:
        if self.household is not None:
            return coverage.household_label(self.household)
        if self.person is not None:
            return coverage.mask_name(self.person.name)
        if self.organisation is not None:
            return f"{self.organisation.name} · {self.organisation.address.full_name}"
        return ""

    @property
    def query(self) -> str:
        for name in ("household", "person", "organisation"):
            row = getattr(self, name)
            if row is not None:
                return f"{name}={row.pk}"
        return ""


def _target(actor: User, household: int | None, person: int | None, organisation: int | None) -> Target:
    """The records named in the query or the form, read through the ledger's scoped selectors."""
    return Target(
        household=ledger.household_get(actor, household) if household else None,
        person=ledger.person_get(actor, person, audit=False) if person else None,
        organisation=ledger.organisation_get(actor, organisation) if organisation else None,
    )


def _people(target: Target) -> list[tuple[int, str]]:
    """Whom a piece of news may concern: the household's members (masked names)."""
    household = target.household or (target.person.household if target.person else None)
    if household is None:
        return [(target.person.pk, coverage.mask_name(target.person.name))] if target.person else []
    members = ledger.household_members(household)
    return [(p.pk, coverage.mask_name(p.name)) for p in members]


def _formsets(data: Any, target: Target) -> tuple[BaseFormSet, BaseFormSet]:
    return visit_formsets(data, _people(target))


def _show_error(
    error: ServiceError,
    form: Any,
    formsets: dict[str, tuple[BaseFormSet, list[int]]],
) -> None:
    """Put the service's message beside its field: `items.1.text` is the text of the second
    filled row of news, wherever that row sits in the formset."""
    name = error.field or ""
    head, _dot, rest = name.partition(".")
    if head in formsets and rest:
        formset, rows = formsets[head]
        index, _dot, field = rest.partition(".")
        if index.isdigit() and int(index) < len(rows):
            row = formset.forms[rows[int(index)]]
            row.add_error(field if field in row.fields else None, error.message)
            return
    if name in ("person", "organisation"):
        error.field = "household"
    form_add_service_error(form, error)


# ---------------------------------------------------------------------------------------------
# Today's plan and tasks


def _districts_of(actor: User) -> list[Unit]:
    return list(coverage.districts_under(actor.unit).order_by("path"))


@login_required
def today(request: StaffRequest) -> HttpResponse:
    """The officer's day: the households due for a visit, nearest deadline first, the tasks from
    earlier visits, and what was recorded today."""
    actor = request.user
    require(actor, Cap.VISIT_RECORD)
    districts = _districts_of(actor)
    chosen = _int(request.GET.get("district"))
    district = next((d for d in districts if d.pk == chosen), districts[0] if districts else None)
    now = timezone.now()
    start_of_day = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    context = {
        "districts": districts,
        "district": district,
        "plan": coverage.today_plan(actor=actor, district=district, now=now) if district else [],
        "months": selectors.current_months([district.pk])[district.pk] if district else None,
        "tasks": list(selectors.task_list(actor=actor)[:LIST_LIMIT]),
        "recorded_today": list(
            selectors.visit_list(actor=actor, mine=True).filter(created_at__gte=start_of_day)[:LIST_LIMIT]
        ),
        "today": timezone.localdate(),
    }
    return render(request, "visits/today.html", context)


@login_required
def tasks(request: StaffRequest) -> HttpResponse:
    actor = request.user
    rows = list(
        selectors.task_list(actor=actor, include_done_since=timezone.now() - timedelta(days=7))[:LIST_LIMIT]
    )
    return render(request, "visits/tasks.html", {"tasks": rows, "today": timezone.localdate()})


@login_required
@require_POST
def task_done(request: StaffRequest, pk: int) -> HttpResponse:
    actor = request.user
    done = request.POST.get("done", "1") == "1"
    row = services.followup_done(actor=actor, follow_up_id=pk, done=done)
    if _is_htmx(request):
        row = selectors.task_list(actor=actor, include_done_since=timezone.now() - timedelta(days=7)).get(
            pk=row.pk
        )
        return render(request, "visits/_task.html", {"task": row, "today": timezone.localdate()})
    messages.success(request, _("The task is done.") if done else _("The task is open again."))
    return redirect(safe_next(request, reverse("visits:tasks")))


# ---------------------------------------------------------------------------------------------
# The visit form


def _search(actor: User, q: str) -> list[Household]:
    q = q.strip()
    if not q:
        return []
    qs = ledger.households_in_scope(actor).select_related("house__address", "head")
    qs = qs.filter(
        Q(house__address__full_name__contains=q) | Q(number=q) | Q(head__name=q) | Q(members__name=q)
    ).distinct()
    return list(qs.order_by("house__address__full_name", "id")[:SEARCH_LIMIT])


@login_required
@require_http_methods(["GET", "POST"])
def record(request: StaffRequest) -> HttpResponse:
    actor = request.user
    require(actor, Cap.VISIT_RECORD)
    source = request.POST if request.method == "POST" else request.GET
    target = _target(
        actor, _int(source.get("household")), _int(source.get("person")), _int(source.get("organisation"))
    )
    next_url = safe_next(request, "")
    if request.method == "POST":
        form = VisitForm(request.POST, request.FILES)
        items, follow_ups = _formsets(request.POST, target)
        if form.is_valid() and items.is_valid() and follow_ups.is_valid():
            filled_items, filled_follow_ups = filled_rows(items), filled_rows(follow_ups)
            try:
                visit, created = services.visit_record(
                    actor=actor,
                    data=visit_input(form, filled_items, filled_follow_ups),
                    submission_key=form.cleaned_data["submission_key"],
                    photos=form.cleaned_data["photos"],
                )
            except ServiceError as exc:
                _show_error(
                    exc,
                    form,
                    {
                        "items": (items, [i for i, _f in filled_items]),
                        "follow_ups": (follow_ups, [i for i, _f in filled_follow_ups]),
                    },
                )
            else:
                if created:
                    messages.success(request, _("The visit is recorded."))
                else:
                    messages.info(request, _("This form was already sent; the visit was recorded once."))
                return redirect(next_url or reverse("visits:detail", args=[visit.pk]))
        status = 400
    else:
        initial: dict[str, Any] = {
            "household": target.household.pk if target.household else None,
            "person": target.person.pk if target.person else None,
            "organisation": target.organisation.pk if target.organisation else None,
        }
        kind = request.GET.get("kind", "")
        if kind in VisitKind.values:
            initial["kind"] = kind
        elif target.household is None and target.organisation is not None:
            initial["kind"] = VisitKind.MEETING
        form = VisitForm(initial=initial)
        items, follow_ups = _formsets(None, target)
        status = 200
    q = request.GET.get("q", "")
    context = {
        "form": form,
        "items": items,
        "follow_ups": follow_ups,
        "target": target,
        "next": next_url,
        "q": q,
        "results": _search(actor, q) if target.empty else [],
        "task_kind": FollowUpKind.TASK,
        "appeal_kind": FollowUpKind.APPEAL,
    }
    return render(request, "visits/record.html", context, status=status)


@login_required
def household_search(request: StaffRequest) -> HttpResponse:
    """Households of the officer's scope matching the words typed (address, number, head)."""
    actor = request.user
    require(actor, Cap.VISIT_RECORD)
    q = request.GET.get("q", "")
    return render(
        request,
        "visits/_household_results.html",
        {"results": _search(actor, q), "q": q, "next": safe_next(request, "")},
    )


# ---------------------------------------------------------------------------------------------
# One visit


def _detail_context(
    actor: User, visit: Any, amend_form: AmendForm | None = None, amend_items: Any = None
) -> dict[str, Any]:
    target = Target(visit.household, visit.person, visit.organisation)
    may_amend = services.may_amend(actor, visit) and not visit.withdrawn
    return {
        "visit": visit,
        "target": target,
        "items": visit.items.select_related("person", "amendment").order_by("id"),
        "photos": visit.photos.order_by("id"),
        "follow_ups": visit.follow_ups.select_related("appeal", "done_by").order_by("id"),
        "amendments": visit.amendments.select_related("actor").order_by("seq"),
        "events": selectors.visit_events(visit=visit),
        "may_amend": may_amend,
        "amend_form": amend_form or (AmendForm(prefix="amend") if may_amend else None),
        "amend_items": amend_items
        or (
            ItemFormSet(prefix="amend_items", form_kwargs={"people": _people(target)}) if may_amend else None
        ),
        "person_label": coverage.mask_name,
    }


@login_required
def detail(request: StaffRequest, pk: int) -> HttpResponse:
    actor = request.user
    visit = selectors.visit_get(actor=actor, pk=pk)
    return render(request, "visits/detail.html", _detail_context(actor, visit))


@login_required
@require_POST
def amend(request: StaffRequest, pk: int) -> HttpResponse:
    actor = request.user
    require(actor, Cap.VISIT_RECORD)
    visit = selectors.visit_get(actor=actor, pk=pk)
    target = Target(visit.household, visit.person, visit.organisation)
    form = AmendForm(request.POST, request.FILES, prefix="amend")
    items = ItemFormSet(request.POST, prefix="amend_items", form_kwargs={"people": _people(target)})
    if form.is_valid() and items.is_valid():
        filled = filled_rows(items)
        try:
            services.visit_amend(
                actor=actor,
                visit_id=visit.pk,
                reason=form.cleaned_data["reason"],
                summary=form.cleaned_data["summary"],
                withdraw=form.cleaned_data["withdraw"],
                items=[
                    services.ItemInput(
                        kind=f.cleaned_data["kind"],
                        text=f.cleaned_data["text"],
                        person=f.cleaned_data["person"],
                    )
                    for _i, f in filled
                ],
                photos=form.cleaned_data["photos"],
            )
        except ServiceError as exc:
            _show_error(exc, form, {"items": (items, [i for i, _f in filled])})
        else:
            messages.success(request, _("The correction is recorded."))
            return redirect("visits:detail", pk=visit.pk)
    context = _detail_context(actor, visit, amend_form=form, amend_items=items)
    context["amend_open"] = True
    return render(request, "visits/detail.html", context, status=400)


@login_required
def photo(request: StaffRequest, pk: int) -> FileResponse:
    """A visit's photo, only to those who can see the visit; photos have no public URL."""
    actor = request.user
    row = selectors.photo_get(actor=actor, pk=pk)
    # Photos show people and their homes: each viewing is recorded like an appeal's attachment.
    audit_read(actor=actor, target=row, what="visit_photo")
    response = FileResponse(row.file.open("rb"), content_type=row.content_type, filename=row.original_name)
    response["Content-Disposition"] = response["Content-Disposition"].replace("attachment", "inline", 1)
    response["Cache-Control"] = "private, no-store"
    return response


# ---------------------------------------------------------------------------------------------
# Lists


def _list_page(request: StaffRequest, *, title: str, target: Target, **filters: Any) -> HttpResponse:
    actor = request.user
    kind = request.GET.get("kind", "")
    mine = request.GET.get("mine") == "1"
    rows = list(
        selectors.visit_list(
            actor=actor, kind=kind if kind in VisitKind.values else "", mine=mine, **filters
        )[: LIST_LIMIT + 1]
    )
    context = {
        "title": title,
        "target": target,
        "visits": rows[:LIST_LIMIT],
        "truncated": len(rows) > LIST_LIMIT,
        "kinds": VisitKind.choices,
        "kind": kind,
        "mine": mine,
        "can_record": can(actor, Cap.VISIT_RECORD),
        "can_open_help": can(actor, Cap.CASE_RECORD),
    }
    return render(request, "visits/list.html", context)


@login_required
def visit_list(request: StaffRequest) -> HttpResponse:
    return _list_page(request, title=_("Visits"), target=Target())


@login_required
def household_visits(request: StaffRequest, pk: int) -> HttpResponse:
    household = ledger.household_get(request.user, pk)
    return _list_page(
        request, title=_("Visits to this household"), target=Target(household=household), household=pk
    )


@login_required
def person_visits(request: StaffRequest, pk: int) -> HttpResponse:
    person = ledger.person_get(request.user, pk, audit=False)
    return _list_page(
        request, title=_("Visits concerning this person"), target=Target(person=person), person=pk
    )


@login_required
def organisation_visits(request: StaffRequest, pk: int) -> HttpResponse:
    organisation = ledger.organisation_get(request.user, pk)
    return _list_page(
        request,
        title=_("Visits to this organisation"),
        target=Target(organisation=organisation),
        organisation=pk,
    )


# ---------------------------------------------------------------------------------------------
# Coverage


def _crumbs(actor: User, unit: Unit) -> list[Unit]:
    """The units from the actor's own down to this one."""
    return list(unit_chain(actor, unit))


@login_required
def coverage_page(request: StaffRequest) -> HttpResponse:
    actor = request.user
    unit = coverage.coverage_unit(actor, _int(request.GET.get("unit")))
    now = timezone.now()
    overview = coverage.coverage_overview(actor=actor, unit=unit, now=now)
    context: dict[str, Any] = {
        "overview": overview,
        "unit": unit,
        "crumbs": _crumbs(actor, unit),
        "is_district": unit.kind == UnitKind.DISTRICT,
        "can_record": can(actor, Cap.VISIT_RECORD),
        "can_plan": can(actor, Cap.VISIT_PLAN),
        "map_url": f"{reverse('visits:coverage_map')}?unit={unit.pk}",
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
    if unit.kind == UnitKind.DISTRICT:
        uncovered_only = request.GET.get("uncovered") == "1"
        q = request.GET.get("q", "").strip()[:60]
        rows, start = coverage.household_rows(
            actor=actor, district=unit, now=now, uncovered_only=uncovered_only, q=q
        )
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(
            {
                "page": page,
                "households": coverage.household_page(page.object_list),
                "window_start": start,
                "uncovered_only": uncovered_only,
                "q": q,
                "here": request.get_full_path(),
            }
        )
    return render(request, "visits/coverage.html", context)


@login_required
def coverage_map(request: StaffRequest) -> JsonResponse:
    actor = request.user
    unit = coverage.coverage_unit(actor, _int(request.GET.get("unit")))
    data = coverage.map_data(actor=actor, unit=unit)
    if can(actor, Cap.VISIT_RECORD) and unit.kind == UnitKind.DISTRICT:
        data["record_url"] = reverse("visits:record")
    # Compact: a district's map is a thousand or two places, each with addresses in Chinese,
    # which the default escaping would send six bytes a character.
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "separators": (",", ":")})
    response["Cache-Control"] = "private, no-store"
    return response


# ---------------------------------------------------------------------------------------------
# Plans


@login_required
@require_http_methods(["GET", "POST"])
def plans(request: StaffRequest) -> HttpResponse:
    actor = request.user
    require(actor, Cap.VISIT_PLAN)
    districts = list(coverage.districts_under(actor.unit).select_related("parent").order_by("path"))
    failed: PlanForm | None = None
    if request.method == "POST":
        form = PlanForm(request.POST, prefix=f"d{request.POST.get('district_pk', '')}")
        if form.is_valid():
            try:
                changed = services.plan_set(
                    actor=actor, district_id=form.cleaned_data["district"], months=form.cleaned_data["months"]
                )
            except ServiceError as exc:
                form_add_service_error(form, exc)
            else:
                if changed is None:
                    messages.info(request, _("The plan already says so; nothing changed."))
                else:
                    messages.success(
                        request,
                        _(
                            "The plan of %(district)s is saved: every household at least once in %(months)d months."
                        )
                        % {"district": changed.district.name, "months": changed.months},
                    )
                return redirect("visits:plans")
        failed = form
    months = selectors.current_months([d.pk for d in districts])
    figures = coverage.coverage_by_district([d.pk for d in districts])
    rows = []
    for district in districts:
        form = (
            failed
            if failed is not None and failed.prefix == f"d{district.pk}"
            else PlanForm(
                prefix=f"d{district.pk}", initial={"district": district.pk, "months": months[district.pk]}
            )
        )
        rows.append(
            {
                "district": district,
                "months": months[district.pk],
                "coverage": figures[district.pk],
                "form": form,
                "history": list(selectors.plan_history(district_id=district.pk)[:5]),
            }
        )
    return render(
        request,
        "visits/plans.html",
        {"rows": rows, "default_months": settings.VISIT_PLAN_DEFAULT_MONTHS},
        status=400 if failed is not None else 200,
    )
