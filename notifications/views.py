"""The on-site inbox: every signed-in user's notices, newest first; the header's bell links here."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from notifications import notices, selectors
from notifications.models import Notice

PER_PAGE = 20


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """One page of the user's notices; those it shows are read from now on (still marked new this once)."""
    page = Paginator(selectors.notices_of(user=request.user), PER_PAGE).get_page(request.GET.get("page"))
    items = [
        {"notice": notice, "text": notices.notice_text(notice.code, notice.params, html=True)}
        for notice in page.object_list
    ]
    unread = [item["notice"] for item in items if item["notice"].read_at is None]
    if unread:
        notices.notices_read(notices=unread, actor=request.user)
    return render(request, "notifications/inbox.html", {"page": page, "items": items})


@login_required
@require_GET
def notice_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of the user's notices read and follow its link (the inbox when it has none)."""
    notice = get_object_or_404(Notice, pk=pk, user=request.user)
    notices.notice_open(notice=notice, actor=request.user)
    allowed = url_has_allowed_host_and_scheme(notice.link, allowed_hosts={request.get_host()})
    if notice.link and (allowed or notice.link.startswith("https://")):
        return redirect(notice.link)
    return redirect("inbox")


@login_required
@require_POST
def inbox_read(request: HttpRequest) -> HttpResponse:
    """Mark every notice of the user read."""
    notices.notices_mark_read(actor=request.user)
    return redirect("inbox")
