"""Pages of the indicators: the dashboard of a unit, a figure's records, an officer's score
explained, the wall screen, the Excel export, the monthly trend (JSON for the charts) and the
settings with their history.

Views read through `selectors` and `compute` (scoped: a unit outside the reader's scope is a 404)
and write through `services`. Charts are drawn by `metrics/dashboard.js` from `data-` attributes
and the trend endpoint; the page works without it (every figure is in a table).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jingmin.core.errors import ServiceError
from jingmin.core.forms import form_add_service_error
from jingmin.core.http import StaffRequest
from jingmin.metrics import exports, registry, selectors, services
from jingmin.metrics.compute import Figure, Memo, figure, figures, figures_by_month, make_figure
from jingmin.metrics.forms import SettingsForm, weighted_keys
from jingmin.metrics.periods import Grain, grain_of, months_back, parse_period, period_of, today
from jingmin.metrics.registry import Period
from jingmin.metrics.versions import settings_for
from jingmin.org.models import Unit, UnitKind, User
from jingmin.org.roles import Cap, can
from jingmin.org.scope import Scope

# The figures of the ranked bar chart and the district grid, unless the reader picks another.
DEFAULT_KEY = "composite"
TREND_KEYS = ("response", "resolution", "satisfaction", "composite")
DEADLINE_KEYS = ("on_time_sign", "first_contact", "on_time_conclusion")
TREND_MONTHS = 12
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) <= 18 else None


def _period(request: HttpRequest) -> tuple[Period, str]:
    """The period asked for in the query string; this month, with a message, when it is wrong."""
    q = request.GET
    try:
        return parse_period(
            grain=q.get("grain", ""), on=q.get("on", ""), start=q.get("from", ""), end=q.get("to", "")
        ), ""
    except ServiceError as error:
        return period_of(Grain.MONTH, today()), error.message


def period_query(period: Period) -> dict[str, str]:
    return {"from": period.start.isoformat(), "to": period.end.isoformat()}


@functools.cache
def _figure_path(key: str) -> str:
    return reverse("metrics:figure", args=[key])


def figure_url(key: str, unit: Unit, period: Period, officer: User | None = None) -> str:
    query = {"unit": str(unit.pk), **period_query(period)}
    if officer is not None:
        query["officer"] = str(officer.pk)
    return f"{_figure_path(key)}?{urlencode(query)}"


def _crumbs(actor: User, unit: Unit) -> list[Unit]:
    return list(Scope.of(actor).chain_to(unit))


def _key(request: HttpRequest) -> str:
    key = request.GET.get("key", DEFAULT_KEY)
    return key if registry.get_indicator(key) is not None else DEFAULT_KEY


def _bands(values: list[tuple[Any, Decimal | None]], higher_is_better: bool) -> dict[Any, str]:
    """Good, fair or poor by thirds of the ranked values: the grid's colours, relative to peers."""
    known = sorted((v for _k, v in values if v is not None), reverse=higher_is_better)
    out: dict[Any, str] = {}
    for k, v in values:
        if v is None:
            out[k] = "none"
            continue
        rank = known.index(v) / max(len(known), 1)
        out[k] = "good" if rank < 1 / 3 else "fair" if rank < 2 / 3 else "poor"
    return out


def _js_number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


@login_required
def home_panel(request: StaffRequest) -> HttpResponse:
    """The month's figures on the home page, fetched by the page once it is shown (htmx): the
    page answers at once, without waiting for the indicators to be computed."""
    figures_ = selectors.home_figures(actor=request.user)
    if figures_ is None:
        raise PermissionDenied
    return render(request, "metrics/_home.html", {"metrics": figures_})


@login_required
def dashboard(request: StaffRequest) -> HttpResponse:
    actor = request.user
    unit = selectors.metrics_unit(actor=actor, unit_id=_int(request.GET.get("unit")))
    period, period_error = _period(request)
    if period_error:
        messages.error(request, period_error)
    key = _key(request)
    chosen = registry.get_indicator(key)
    assert chosen is not None
    # One computation per indicator for the whole page: the unit's own figures, the table of the
    # units it compares and the district grid are added up from the same grouped measures.
    memo = Memo()
    own, rows = selectors.unit_and_compared(actor=actor, unit=unit, period=period, memo=memo)
    districts = (
        list(selectors.districts_under(actor=actor, unit=unit)) if unit.kind != UnitKind.DISTRICT else []
    )
    grid_rows = selectors.unit_rows(
        actor=actor, top=unit, units=districts, period=period, keys=[key], memo=memo
    )
    bands = _bands([(r.unit.pk, r.figures[key].value) for r in grid_rows], chosen.higher_is_better)
    ranked = sorted(
        (r for r in rows if r.figures[key].value is not None),
        key=lambda r: r.figures[key].value or 0,
        reverse=chosen.higher_is_better,
    )
    bar = {
        "title": str(chosen.label),
        "names": [r.unit.name for r in ranked],
        "values": [_js_number(r.figures[key].value) for r in ranked],
    }
    deadline_parts = [ind for k in DEADLINE_KEYS if (ind := registry.get_indicator(k)) is not None]
    deadline = {
        "names": [r.unit.name for r in rows],
        "series": [
            {"name": str(ind.label), "values": [_js_number(r.figures[ind.key].value) for r in rows]}
            for ind in deadline_parts
        ],
    }
    query = {"unit": str(unit.pk), **period_query(period)}
    context = {
        "unit": unit,
        "crumbs": _crumbs(actor, unit),
        "period": period,
        "grain": grain_of(period),
        "key": key,
        "chosen": chosen,
        "own": [(f, figure_url(f.key, unit, period)) for f in own],
        "settings": own[0].settings if own else settings_for(period.end),
        "columns": [f.indicator for f in own],
        "rows": [(r, [(r.figures[f.key], figure_url(f.key, r.unit, period)) for f in own]) for r in rows],
        "grid": [(r, r.figures[key], bands[r.unit.pk], figure_url(key, r.unit, period)) for r in grid_rows],
        "hot": selectors.hot_issues(actor=actor, unit=unit, period=period, memo=memo),
        "indicators": list(registry.indicators()),
        "bar_json": json.dumps(bar, ensure_ascii=False),
        "deadline_json": json.dumps(deadline, ensure_ascii=False),
        "trend_url": f"{reverse('metrics:trend')}?{urlencode({'unit': unit.pk, 'to': period.end.isoformat()})}",
        "export_url": f"{reverse('metrics:export')}?{urlencode(query)}",
        "wall_url": f"{reverse('metrics:wall')}?{urlencode({'unit': unit.pk})}",
        "officers": [
            (o, f"{reverse('metrics:officer', args=[o.pk])}?{urlencode(period_query(period))}")
            for o in selectors.officers_under(actor=actor, unit=unit)[:50]
        ],
        "can_configure": can(actor, Cap.METRICS_CONFIGURE),
    }
    return render(request, "metrics/dashboard.html", context)


@login_required
def trend(request: StaffRequest) -> JsonResponse:
    """The last twelve calendar months of the headline rates, for the trend chart."""
    actor = request.user
    unit = selectors.metrics_unit(actor=actor, unit_id=_int(request.GET.get("unit")))
    period, _error = _period(request)
    months = months_back(period.end, TREND_MONTHS)
    series: dict[str, list[float | None]] = {k: [] for k in TREND_KEYS}
    labels: dict[str, str] = {}
    for month_figures in figures_by_month(scope=Scope.under(unit), months=months, keys=TREND_KEYS):
        for f in month_figures:
            series[f.key].append(_js_number(f.value))
            labels[f.key] = str(f.indicator.label)
    response = JsonResponse(
        {
            "months": [m.start.strftime("%Y-%m") for m in months],
            "series": [{"key": k, "name": labels.get(k, k), "values": v} for k, v in series.items()],
        }
    )
    response["Cache-Control"] = "private, no-store"
    return response


@dataclass(frozen=True)
class RecordSection:
    """One list of a drill-down as the page shows it: a page of its records with their links, how
    many there are in all, and the links to the pages before and after (the other lists keep
    their page)."""

    name: str
    title: str
    page: registry.RecordPage
    rows: list[dict[str, Any]]
    previous_url: str
    next_url: str


def _record_sections(request: HttpRequest, fig: Figure) -> list[RecordSection]:
    m = fig.measure
    lists = [("numerator", _("Counted in the numerator"), m.numerator_records)]
    if m.denominator is not None:
        lists.append(("denominator", _("Counted in the denominator"), m.denominator_records))
    lists.append(("excluded", _("Left out, with the reason"), m.excluded))
    sections = []
    for name, title, records in lists:
        page = records.page(_int(request.GET.get(name)) or 1)
        sections.append(
            RecordSection(
                name=name,
                title=title,
                page=page,
                rows=[_record_row(ref) for ref in page.records],
                previous_url=_page_url(request, name, page.number - 1) if page.has_previous else "",
                next_url=_page_url(request, name, page.number + 1) if page.has_next else "",
            )
        )
    return sections


def _record_row(ref: registry.RecordRef) -> dict[str, Any]:
    link = registry.record_link(ref.record_type)
    return {"ref": ref, "url": link.url(ref.record_id) if link else "", "kind": link.label if link else ""}


def _page_url(request: HttpRequest, name: str, number: int) -> str:
    query = request.GET.copy()
    query[name] = str(number)
    return f"{request.path}?{query.urlencode()}#records-{name}"


def _officer(request: StaffRequest) -> User | None:
    pk = _int(request.GET.get("officer"))
    return selectors.officer_get(actor=request.user, pk=pk) if pk is not None else None


@login_required
def figure_page(request: StaffRequest, key: str) -> HttpResponse:
    """One figure opened: its formula, settings version and the records behind it."""
    actor = request.user
    if registry.get_indicator(key) is None:
        raise Http404
    unit = selectors.metrics_unit(actor=actor, unit_id=_int(request.GET.get("unit")))
    officer = _officer(request)
    if officer is not None:
        unit = officer.unit
    period, period_error = _period(request)
    if period_error:
        messages.error(request, period_error)
    fig = figure(
        scope=Scope.under(unit),
        period=period,
        key=key,
        officer_id=officer.pk if officer else None,
        detail=True,
    )
    # A composite's parts were computed with it: shown from its measure, not computed again.
    parts = [
        (make_figure(part, m, fig.settings), figure_url(k, unit, period, officer))
        for k, m in fig.measure.parts.items()
        if (part := registry.get_indicator(k)) is not None
    ]
    return render(
        request,
        "metrics/figure.html",
        {
            "fig": fig,
            "unit": unit,
            "officer": officer,
            "period": period,
            "grain": grain_of(period),
            "crumbs": _crumbs(actor, unit),
            "record_sections": _record_sections(request, fig),
            "parts": parts,
            "excluded_labels": [e.label for e in registry.exclusions() if e.key in fig.settings.excludes],
            "export_url": f"{reverse('metrics:export')}?{urlencode({'unit': unit.pk, 'key': key, **period_query(period), **({'officer': officer.pk} if officer else {})})}",
            "dashboard_url": f"{reverse('metrics:dashboard')}?{urlencode({'unit': unit.pk, **period_query(period)})}",
        },
    )


@login_required
def officer_page(request: StaffRequest, pk: int) -> HttpResponse:
    """An officer's score explained: each input with its formula, figures and records."""
    actor = request.user
    officer = selectors.officer_get(actor=actor, pk=pk)
    period, period_error = _period(request)
    if period_error:
        messages.error(request, period_error)
    own = figures(scope=Scope.under(officer.unit), period=period, officer_id=officer.pk)
    by_key = {f.key: f for f in own}
    composite = by_key.get("composite")
    weights = composite.settings.weights if composite else {}
    return render(
        request,
        "metrics/officer.html",
        {
            "officer": officer,
            "period": period,
            "grain": grain_of(period),
            "composite": composite,
            "inputs": [
                (by_key[k], w, figure_url(k, officer.unit, period, officer))
                for k, w in weights.items()
                if k in by_key
            ],
            "others": [
                (f, figure_url(f.key, officer.unit, period, officer))
                for f in own
                if f.key not in weights and f.key != "composite"
            ],
            "settings": composite.settings if composite else settings_for(period.end),
        },
    )


@login_required
def wall(request: StaffRequest) -> HttpResponse:
    """The command room's screen: this month's headline figures by unit, large, reloading itself."""
    actor = request.user
    unit = selectors.metrics_unit(actor=actor, unit_id=_int(request.GET.get("unit")))
    period = period_of(Grain.MONTH, today())
    keys = ["composite", "response", "resolution", "satisfaction", "appeals"]
    own, rows = selectors.unit_and_compared(actor=actor, unit=unit, period=period, keys=keys)
    return render(
        request,
        "metrics/wall.html",
        {
            "unit": unit,
            "period": period,
            "own": own,
            "rows": rows,
            "keys": [f.indicator for f in own],
            "refresh": 300,
        },
    )


@login_required
def export(request: StaffRequest) -> HttpResponse | FileResponse:
    """The dashboard's table (or, with `key`, one figure's records) as an Excel workbook."""
    actor = request.user
    unit = selectors.metrics_unit(actor=actor, unit_id=_int(request.GET.get("unit")))
    period, _error = _period(request)
    key = request.GET.get("key", "")
    officer = _officer(request)
    if key:
        if registry.get_indicator(key) is None:
            raise Http404
        if officer is not None:
            unit = officer.unit
        fig = figure(
            scope=Scope.under(unit),
            period=period,
            key=key,
            officer_id=officer.pk if officer else None,
            detail=True,
        )
        # Every record of the three lists, read in chunks and written row by row to a file that
        # is then sent in pieces: a list of a hundred thousand records is never held in memory.
        return FileResponse(
            exports.figure_workbook(actor=actor, unit=unit, period=period, fig=fig),
            as_attachment=True,
            filename=f"{key}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx",
            content_type=XLSX,
        )
    else:
        children = selectors.compared_units(actor=actor, unit=unit)
        rows = selectors.unit_rows(
            actor=actor,
            top=unit,
            units=[unit, *children],
            period=period,
            keys=[i.key for i in registry.indicators()],
        )
        content = exports.units_workbook(actor=actor, unit=unit, period=period, rows=rows)
        name = f"indicators-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: StaffRequest) -> HttpResponse:
    actor = request.user
    history = selectors.settings_history(actor=actor)
    if request.method == "POST" and not can(actor, Cap.METRICS_CONFIGURE):
        raise PermissionDenied
    current = settings_for(today())
    initial: dict[str, Any] = {
        "effective_from": today(),
        "k": current.k,
        "repeat_window_days": current.repeat_window_days,
        "excludes": sorted(current.excludes),
        **{f"w_{k}": current.weights.get(k, 0) for k in weighted_keys()},
    }
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            row = services.settings_change(
                actor=actor,
                effective_from=data["effective_from"],
                k=data["k"],
                weights=form.weights(),
                excludes=data["excludes"],
                repeat_window_days=data["repeat_window_days"],
                note=data["note"],
            )
        except ServiceError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("Settings version %(v)d saved.") % {"v": row.version})
            return redirect("metrics:settings")
    return render(
        request,
        "metrics/settings.html",
        {
            "form": form,
            "history": history,
            "current": current,
            "can_configure": can(actor, Cap.METRICS_CONFIGURE),
            "exclusion_labels": {e.key: e.label for e in registry.exclusions()},
            "indicator_labels": {i.key: i.label for i in registry.indicators()},
        },
    )
