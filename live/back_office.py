"""The host's back office, ``/host/``: sessions, featured items, the live view, the share link and commission.

Every view wears ``live.access.host_back_office``: the signed-in user must be an active host, else 404.
Sessions are looked up only through ``selectors.host_session(host=..., slug=...)`` and items only among the
host's sessions, so another host's session or item answers 404 like one that does not exist. Every change
goes through ``live.services`` with ``actor=request.user``: a ``ValidationError`` is shown beside the fields it
names, a ``SessionTransitionError`` (going live twice, ending a session that never went live) as a message.
Pages are phone first and work without JavaScript; ``host_live.js`` only refreshes the live view's numbers.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from catalog.models import Variant
from catalog.pagination import page_of
from catalog.selectors import normalized_query
from live import selectors, services
from live.access import host_back_office
from live.errors import SessionTransitionError
from live.forms import FeatureForm, ItemSearchForm, ItemTermsForm, SessionForm
from live.models import CommissionEntry, Host, LiveSession, LiveSessionItem
from marketplace.flash import flash
from marketplace.qr import qr_svg
from marketplace.spreadsheets import csv_download
from marketplace.templatetags.money import yuan

SEARCH_PAGE_SIZE = 20
# The live view's script asks for new figures this often (milliseconds), while the session is on air.
POLL_INTERVAL_MS = 3000
# Sessions a host edits or features items in: the others are shown, not changed.
OPEN_STATUSES = (LiveSession.Status.SCHEDULED, LiveSession.Status.LIVE)


def _session(host: Host, slug: str) -> LiveSession:
    try:
        return selectors.host_session(host=host, slug=slug)
    except LiveSession.DoesNotExist:
        raise Http404 from None


def _item(host: Host, pk: int) -> LiveSessionItem:
    """One of the host's featured items: looked up among the host's sessions only."""
    try:
        return selectors.host_items(host=host).get(pk=pk)
    except LiveSessionItem.DoesNotExist:
        raise Http404 from None


def _session_url(session: LiveSession, anchor: str = "") -> str:
    return reverse("host-session", kwargs={"slug": session.slug}) + anchor


def _is_open(session: LiveSession) -> bool:
    """Details may still change: scheduled, or live (a host who runs over moves the end later)."""
    return session.status in OPEN_STATUSES


def share_url(request: HttpRequest, session: LiveSession) -> str:
    """The link a host pastes into the stream: the session's page, which marks the visit for attribution."""
    return request.build_absolute_uri(session.get_absolute_url())


# The sessions


@host_back_office
@require_GET
def host_home(request: HttpRequest, host: Host) -> HttpResponse:
    """The host's sessions: on air, scheduled (soonest first), then ended and cancelled (latest first)."""
    live, scheduled, over = [], [], []
    for session in selectors.host_sessions(host=host):
        {LiveSession.Status.LIVE: live, LiveSession.Status.SCHEDULED: scheduled}.get(session.shown_status, over).append(
            session
        )
    scheduled.reverse()
    context = {
        "host": host,
        "nav": "sessions",
        "groups": [
            ("live", _("Live now"), live),
            ("scheduled", _("Scheduled"), scheduled),
            ("ended", _("Ended and cancelled"), over),
        ],
        "has_sessions": bool(live or scheduled or over),
        "balances": selectors.commission_balances(host.commission_entries.all()),
    }
    return render(request, "live/host_home.html", context)


def _new_session_initial() -> dict[str, datetime]:
    """The next full hour in China Standard Time, two hours long: a starting point to adjust."""
    now = timezone.localtime(timezone.now(), selectors.SHANGHAI)
    starts = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    return {"starts_at": starts, "ends_at": starts + timedelta(hours=2)}


@host_back_office
@require_http_methods(["GET", "HEAD", "POST"])
def session_new(request: HttpRequest, host: Host) -> HttpResponse:
    """A new scheduled session; once saved, its page is where items are featured and the link is shared."""
    if request.method != "POST":
        form = SessionForm(initial=_new_session_initial())
        return render(request, "live/host_session_new.html", {"host": host, "nav": "new", "form": form})
    form = SessionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            session = services.session_create(
                host=host, actor=request.user, cover=form.cleaned_data["cover"], **form.service_fields()
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            flash(
                request,
                messages.SUCCESS,
                gettext_noop("The session “%(name)s” is scheduled. Now feature the items you will sell in it."),
                name=session.name,
            )
            return redirect(_session_url(session))
    return render(request, "live/host_session_new.html", {"host": host, "nav": "new", "form": form}, status=400)


def _render_session(
    request: HttpRequest,
    host: Host,
    session: LiveSession,
    *,
    form: SessionForm | None = None,
    item_form: tuple[int, ItemTermsForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    is_open = _is_open(session)
    items = list(selectors.host_session_items(session=session))
    for item in items:
        if item_form is not None and item_form[0] == item.pk:
            item.form = item_form[1]
        else:
            item.form = ItemTermsForm(initial=ItemTermsForm.initial_for(item), auto_id=f"item{item.pk}-%s")
    if form is None and is_open:
        form = SessionForm(
            initial=SessionForm.initial_for(session), starts_fixed=session.status == LiveSession.Status.LIVE
        )
    context = {
        "host": host,
        "nav": "sessions",
        "session": session,
        "is_open": is_open,
        "form": form if is_open else None,
        "items": items,
        "share_url": share_url(request, session),
        "consent": LiveSessionItem.Consent,
    }
    return render(request, "live/host_session.html", context, status=status)


@host_back_office
@require_http_methods(["GET", "HEAD", "POST"])
def session_page(request: HttpRequest, host: Host, slug: str) -> HttpResponse:
    """A session: its buttons (go live, end, cancel), share link and QR code, its items and its details.

    A POST saves the details through ``session_update``; an ended or cancelled session can no longer change.
    """
    session = _session(host, slug)
    if request.method != "POST":
        return _render_session(request, host, session)
    form = SessionForm(
        request.POST,
        request.FILES,
        initial=SessionForm.initial_for(session),
        starts_fixed=session.status == LiveSession.Status.LIVE,
    )
    if form.is_valid():
        try:
            saved = services.session_update(
                session=session,
                actor=request.user,
                cover=form.cleaned_data["cover"],
                remove_cover=form.cleaned_data["remove_cover"],
                **form.service_fields(),
            )
        except SessionTransitionError as error:
            messages.error(request, str(error))
            return redirect(_session_url(session))
        except ValidationError as error:
            form.add_service_error(error)
        else:
            flash(request, messages.SUCCESS, gettext_noop("Saved the session “%(name)s”."), name=saved.name)
            return redirect(_session_url(saved))
    return _render_session(request, host, session, form=form, status=400)


def _transition(request: HttpRequest, host: Host, slug: str, action: str) -> HttpResponse:
    session = _session(host, slug)
    try:
        if action == "go-live":
            session = services.session_go_live(session=session, actor=request.user)
            flash(
                request,
                messages.SUCCESS,
                gettext_noop("You are live: the accepted items sell at their live prices now."),
            )
            return redirect("host-session-live", slug=session.slug)
        if action == "end":
            session = services.session_end(session=session, actor=request.user)
            flash(
                request,
                messages.SUCCESS,
                gettext_noop("The session has ended: its items sell at their normal prices again."),
            )
            return redirect("host-session-live", slug=session.slug)
        services.session_cancel(session=session, actor=request.user)
        flash(request, messages.SUCCESS, gettext_noop("The session is cancelled: shoppers no longer see it."))
    except SessionTransitionError as error:
        messages.error(request, str(error))
    return redirect(_session_url(session))


@require_POST
@host_back_office
def session_go_live(request: HttpRequest, host: Host, slug: str) -> HttpResponse:
    """Put a scheduled session on air (early, if the host is ready)."""
    return _transition(request, host, slug, "go-live")


@require_POST
@host_back_office
def session_end(request: HttpRequest, host: Host, slug: str) -> HttpResponse:
    """Take a live session off air before its scheduled end (it ends by itself then)."""
    return _transition(request, host, slug, "end")


@require_POST
@host_back_office
def session_cancel(request: HttpRequest, host: Host, slug: str) -> HttpResponse:
    """Call off a session that has not gone live."""
    return _transition(request, host, slug, "cancel")


@host_back_office
@require_GET
def session_qr(request: HttpRequest, host: Host, slug: str) -> HttpResponse:
    """The QR code of the session's share link, as an SVG file to show in the stream or print."""
    session = _session(host, slug)
    response = HttpResponse(qr_svg(share_url(request, session)), content_type="image/svg+xml")
    response["Content-Disposition"] = f'inline; filename="oasis-live-{session.slug}.svg"'
    patch_cache_control(response, private=True, max_age=300)
    return response


# Featured items


def _search(q: str) -> QuerySet[Variant]:
    """Variants a host may feature whose product, size, SKU or producer matches ``q`` (in any language)."""
    variants = services.featurable_variants()
    if q:
        condition = Q(sku__icontains=q)
        for code in ("zh", "ug", "en"):
            condition |= (
                Q(**{f"product__name_{code}__icontains": q})
                | Q(**{f"name_{code}__icontains": q})
                | Q(**{f"product__producer__name_{code}__icontains": q})
            )
        variants = variants.filter(condition)
    return variants.order_by("product__producer__slug", "product__slug", "position", "id")


@host_back_office
@require_http_methods(["GET", "HEAD", "POST"])
def session_items(request: HttpRequest, host: Host, slug: str) -> HttpResponse:
    """Search verified producers' variants on sale and propose one for the session at a live price.

    The search (``?q=``) and page stay in the URL the forms post to, so a refused proposal shows the same
    results again with why beside the form. A variant that is not on sale from a verified producer is
    refused by ``item_feature`` whatever is posted.
    """
    session = _session(host, slug)
    is_open = _is_open(session)
    search = ItemSearchForm(request.GET)
    q = normalized_query(search.data.get("q"))
    bound: FeatureForm | None = None
    if request.method == "POST":
        posted = request.POST.get("variant", "")
        bound = FeatureForm(request.POST, auto_id=f"v{posted if posted.isdigit() else ''}-%s")
        if bound.is_valid():
            try:
                item = services.item_feature(
                    session=session,
                    actor=request.user,
                    variant_id=bound.cleaned_data["variant"],
                    flash_price=bound.cleaned_data["flash_price"],
                    quantity_cap=bound.cleaned_data["quantity_cap"],
                    per_shopper_limit=bound.cleaned_data["per_shopper_limit"],
                )
            except SessionTransitionError as error:
                messages.error(request, str(error))
                return redirect(_session_url(session))
            except ValidationError as error:
                bound.add_service_error(error)
            else:
                flash(
                    request,
                    messages.SUCCESS,
                    gettext_noop(
                        "%(name)s is proposed at %(price)s. It sells at that price once the producer accepts."
                    ),
                    name=(item.variant.product, item.variant),
                    price=yuan(item.flash_price),
                )
                return redirect(_session_url(session, "#items"))
    page, page_note = page_of(request, _search(q), per_page=SEARCH_PAGE_SIZE)
    featured = set(session.items.values_list("variant_id", flat=True))
    bound_variant = bound.data.get("variant") if bound is not None else None
    shown = False
    for variant in page.object_list:
        variant.is_featured = variant.pk in featured
        if bound is not None and bound_variant == str(variant.pk) and not variant.is_featured:
            variant.form, shown = bound, True
        else:
            variant.form = FeatureForm(initial={"variant": variant.pk}, auto_id=f"v{variant.pk}-%s")
    context = {
        "host": host,
        "nav": "sessions",
        "session": session,
        "is_open": is_open,
        "search": search,
        "q": q,
        "page_obj": page,
        "page_note": page_note,
        # A refusal for a variant not among the results (one no longer on sale) is shown above them.
        "refused": bound if bound is not None and not shown else None,
    }
    return render(request, "live/host_session_items.html", context, status=400 if bound is not None else 200)


@require_POST
@host_back_office
def item_update(request: HttpRequest, host: Host, item: int) -> HttpResponse:
    """New live price, cap or limit for an item; a lower price or a larger cap asks the producer again."""
    found = _item(host, item)
    form = ItemTermsForm(request.POST, auto_id=f"item{found.pk}-%s")
    if form.is_valid():
        try:
            saved = services.item_update(item=found, actor=request.user, **form.cleaned_data)
        except SessionTransitionError as error:
            messages.error(request, str(error))
            return redirect(_session_url(found.session, "#items"))
        except LiveSessionItem.DoesNotExist:
            raise Http404 from None
        except ValidationError as error:
            form.add_service_error(error)
        else:
            if saved.consent == LiveSessionItem.Consent.PROPOSED and found.consent != saved.consent:
                flash(
                    request,
                    messages.SUCCESS,
                    gettext_noop(
                        "Saved %(name)s. The producer is asked again: it sells at the live price once they accept."
                    ),
                    name=(found.variant.product, found.variant),
                )
            else:
                flash(
                    request,
                    messages.SUCCESS,
                    gettext_noop("Saved %(name)s."),
                    name=(found.variant.product, found.variant),
                )
            return redirect(_session_url(found.session, f"#item-{found.pk}"))
    return _render_session(request, host, found.session, item_form=(found.pk, form), status=400)


@require_POST
@host_back_office
def item_remove(request: HttpRequest, host: Host, item: int) -> HttpResponse:
    """Take an item out of the session; one that has sold units at the live price stays."""
    found = _item(host, item)
    try:
        services.item_remove(item=found, actor=request.user)
    except LiveSessionItem.DoesNotExist:
        raise Http404 from None
    except (SessionTransitionError, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        flash(
            request,
            messages.SUCCESS,
            gettext_noop("Removed %(name)s from the session."),
            name=(found.variant.product, found.variant),
        )
    return redirect(_session_url(found.session, "#items"))


# The live view


@dataclass(frozen=True)
class ItemRow:
    item: LiveSessionItem
    figures: selectors.ItemFigures | None

    @property
    def units(self) -> int:
        return self.figures.units if self.figures else 0

    @property
    def orders(self) -> int:
        return self.figures.orders if self.figures else 0

    @property
    def revenue(self) -> Decimal:
        return self.figures.revenue if self.figures else Decimal("0.00")


@dataclass(frozen=True)
class LiveFigures:
    session: LiveSession
    figures: selectors.SessionFigures
    items: list[ItemRow]
    recent: list[selectors.RecentOrder]


def _live_figures(session: LiveSession) -> LiveFigures:
    """Everything the live view shows, in a fixed number of queries whatever the number of items and orders."""
    figures = selectors.session_figures(session=session)
    items = [
        ItemRow(item=item, figures=figures.items.get(item.pk)) for item in selectors.host_session_items(session=session)
    ]
    return LiveFigures(
        session=session, figures=figures, items=items, recent=selectors.session_recent_orders(session=session)
    )


def _placed_at(order: selectors.RecentOrder) -> str:
    return date_format(timezone.localtime(order.placed_at, selectors.SHANGHAI), "SHORT_DATETIME_FORMAT")


@host_back_office
@require_GET
def session_live(request: HttpRequest, host: Host, slug: str) -> HttpResponse:
    """While on air (and after): orders, units and revenue of the session and per item, commission, and the
    latest orders with the buyer's name masked. ``host_live.js`` refreshes it; without it, a Refresh link."""
    session = _session(host, slug)
    live = _live_figures(session)
    context = {
        "host": host,
        "nav": "sessions",
        "session": session,
        "live": live,
        "figures": live.figures,
        "recent": [(order, _placed_at(order)) for order in live.recent],
        "poll_interval": POLL_INTERVAL_MS,
        "commission": [(kind, label, live.figures.commission[kind]) for kind, label in CommissionEntry.Kind.choices],
    }
    return render(request, "live/host_session_live.html", context)


def _money(amount: Decimal) -> dict[str, str]:
    return {"amount": str(amount), "text": yuan(amount)}


def figures_payload(live: LiveFigures) -> dict[str, Any]:
    """The live view's figures as JSON, amounts also as text formatted for the page's language."""
    session, figures = live.session, live.figures
    return {
        "status": session.shown_status,
        "status_label": str(session.shown_status_label),
        "orders": figures.orders,
        "units": figures.units,
        "revenue": _money(figures.revenue),
        "commission": {kind: _money(amount) for kind, amount in figures.commission.items()},
        "items": [
            {
                "id": row.item.pk,
                "units": row.units,
                "orders": row.orders,
                "revenue": _money(row.revenue),
                "sold": row.item.quantity_sold,
                "cap": row.item.quantity_cap,
                "remaining": row.item.remaining,
            }
            for row in live.items
        ],
        "recent": [
            {
                "number": order.number,
                "placed_at": order.placed_at.isoformat(),
                "placed_text": _placed_at(order),
                "units": order.units,
                "total": _money(order.subtotal),
                "buyer": order.buyer,
                "status": order.status,
                "status_label": str(order.status_label),
                "counted": order.counted,
            }
            for order in live.recent
        ],
    }


@host_back_office
@require_GET
def session_figures(request: HttpRequest, host: Host, slug: str) -> JsonResponse:
    """What ``host_live.js`` polls: the live view's figures. Private to the host, never stored by a cache."""
    session = _session(host, slug)
    response = JsonResponse(figures_payload(_live_figures(session)))
    patch_cache_control(response, private=True, no_store=True)
    return response


# Commission


@dataclass(frozen=True)
class CommissionRow:
    label: str
    when: Any
    session: LiveSession | None
    pending: Decimal
    earned: Decimal
    reversed: Decimal


def _balances(row: dict[str, Any]) -> dict[str, Decimal]:
    return {kind: row[kind] or Decimal("0.00") for kind in CommissionEntry.Kind.values}


def _totals(rows: list[CommissionRow]) -> dict[str, Decimal]:
    return {kind: sum((getattr(row, kind) for row in rows), Decimal("0.00")) for kind in CommissionEntry.Kind.values}


@host_back_office
@require_GET
def commission(request: HttpRequest, host: Host) -> HttpResponse:
    """Earned, pending and reversed commission per session and per month (China Standard Time), with totals.

    Both tables come from the same ledger entries, so their totals are the same.
    """
    by_session = list(selectors.commission_by_session(host=host))
    sessions = LiveSession.objects.filter(host=host, pk__in=[row["session"] for row in by_session]).in_bulk()
    session_rows = [
        CommissionRow(
            label=sessions[row["session"]].name,
            when=row["session__starts_at"],
            session=sessions[row["session"]],
            **_balances(row),
        )
        for row in by_session
    ]
    month_rows = [
        CommissionRow(
            label="",
            when=timezone.localtime(row["month"], selectors.SHANGHAI).date(),
            session=None,
            **_balances(row),
        )
        for row in selectors.commission_by_month(host=host)
    ]
    context = {
        "host": host,
        "nav": "commission",
        "session_rows": session_rows,
        "month_rows": month_rows,
        "totals": _totals(session_rows),
        "month_totals": _totals(month_rows),
        "rate_percent": f"{(host.commission_rate * 100).quantize(Decimal('0.01')).normalize():f}",
    }
    return render(request, "live/host_commission.html", context)


def _commission_csv_rows(host: Host, language: str) -> Iterator[list[object]]:
    # The rows are written while the response streams, after the request's language is reset.
    with translation.override(language):
        yield [
            _("Time (China Standard Time)"),
            _("Session"),
            _("Order number"),
            _("Product"),
            _("Line total (CNY)"),
            _("Commission rate"),
            _("Balance"),
            _("Event"),
            _("Amount (CNY)"),
        ]
        entry: CommissionEntry
        for entry in selectors.commission_entries(host=host).iterator(chunk_size=500):
            line = entry.order_line
            yield [
                timezone.localtime(entry.created_at, selectors.SHANGHAI).strftime("%Y-%m-%d %H:%M:%S"),
                entry.session.name,
                entry.order.number,
                f"{line.localized_product_name} · {line.localized_variant_name}"
                if line.variant_name
                else line.localized_product_name,
                entry.base,
                entry.rate,
                entry.get_kind_display(),
                entry.get_event_display(),
                entry.amount,
            ]


@host_back_office
@require_GET
def commission_csv(request: HttpRequest, host: Host) -> StreamingHttpResponse:
    """Every commission entry of the host, newest first, as CSV (UTF-8 with a BOM, formula cells quoted)."""
    today = timezone.localtime(timezone.now(), selectors.SHANGHAI).date()
    return csv_download(
        _commission_csv_rows(host, translation.get_language()), filename=f"oasis-commission-{today:%Y%m%d}.csv"
    )
