"""The live endpoints: sessions and their featured items for anyone, a host's own sessions, items, figures and
commission, and the proposals a producer answers.

Reads go through ``live.selectors`` and writes through ``live.services``, the same functions the host's and the
producer's pages call. Who may do what is decided by the querysets: a host looks sessions and items up among their
own, a producer's member proposals among their producers' (``producers.selectors.dashboard_producers``, which also
gives a depot manager the households they assist). Anything else answers 404 as if it did not exist; a signed-in
user who is not a host gets 403 ``not_a_host`` from the host's lists.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from live import selectors, services
from live.api.filters import LiveSessionFilter, ProposalFilter
from live.api.serializers import (
    HostCommissionSerializer,
    HostItemCreateSerializer,
    HostItemSerializer,
    HostItemUpdateSerializer,
    HostSessionSerializer,
    HostSessionWriteSerializer,
    LiveSessionDetailSerializer,
    LiveSessionSerializer,
    ProposalSerializer,
    SessionCoverUploadSerializer,
    SessionFiguresSerializer,
    SessionTransitionErrorSerializer,
)
from live.errors import SessionTransitionError
from live.models import CommissionEntry, Host, LiveSession, LiveSessionItem
from marketplace.api.pagination import PageNumberPagination
from marketplace.api.replica import ReplicaReadsForAnonymous
from marketplace.api.serializers import ErrorSerializer
from marketplace.api.throttling import ImageUploadThrottle, together
from marketplace.images import reencoded_photo, upload_bytes
from producers.selectors import dashboard_producers

CURRENCY = "CNY"


@extend_schema(
    responses={
        200: LiveSessionSerializer(many=True),
        400: OpenApiResponse(
            OpenApiTypes.OBJECT,
            description="Messages per query parameter: a `status` that is empty or not listed; a `page_size` "
            "that is not 1 to 200.",
        ),
        404: OpenApiResponse(ErrorSerializer, description="A `page` that is not a page number, or past the last one."),
    },
)
class LiveSessionListView(ReplicaReadsForAnonymous, generics.ListAPIView):
    """Sessions on air, then upcoming (soonest first), then ended in the last week (latest first); never cancelled
    ones. Filter by `status`."""

    serializer_class = LiveSessionSerializer
    filterset_class = LiveSessionFilter
    pagination_class = PageNumberPagination

    def get_queryset(self) -> QuerySet[LiveSession]:
        return selectors.session_feed()


@extend_schema(
    responses={
        200: LiveSessionDetailSerializer,
        404: OpenApiResponse(ErrorSerializer, description="No such session, or it was cancelled."),
    },
)
class LiveSessionDetailView(ReplicaReadsForAnonymous, generics.RetrieveAPIView):
    """A session with its featured items on sale, their flash prices and what is left of each."""

    serializer_class = LiveSessionDetailSerializer
    lookup_field = "slug"

    def get_queryset(self) -> QuerySet[LiveSession]:
        return selectors.sessions_with_items()


# The host's sessions

NOT_A_HOST = OpenApiResponse(
    ErrorSerializer, description="`not_a_host`: the account has no active host profile (staff grant it)."
)
NOT_A_HOST_WRITE = OpenApiResponse(
    ErrorSerializer,
    description="`not_a_host`: the account has no active host profile (staff grant it); or a session write "
    "without its CSRF token.",
)
SESSION_NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No such session among yours.")
ITEM_NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No such item in your sessions.")
SESSION_CLOSED = OpenApiResponse(
    SessionTransitionErrorSerializer,
    description="`illegal_transition`: the session has ended or was cancelled, so it can no longer change.",
)


def _host(request: Request) -> Host:
    """The caller's host profile; 403 ``not_a_host`` for anyone else."""
    host = selectors.host_of(request.user)
    if host is None:
        raise PermissionDenied(_("This account is not a host. Staff grant the host role."), code="not_a_host")
    return host


def _own_session(request: Request, slug: str) -> tuple[Host, LiveSession]:
    """One of the caller's sessions; another host's, or any for a user who is not a host, is not found."""
    host = selectors.host_of(request.user)
    if host is None:
        raise NotFound
    return host, selectors.host_session(host=host, slug=slug)


def _session_body(request: Request, host: Host, session: LiveSession, *, code: int = status.HTTP_200_OK) -> Response:
    fresh = selectors.host_sessions(host=host).get(pk=session.pk)
    return Response(HostSessionSerializer(fresh, context={"request": request}).data, status=code)


def _item_body(host: Host, item: LiveSessionItem, *, code: int = status.HTTP_200_OK) -> Response:
    fresh = selectors.host_items(host=host).get(pk=item.pk)
    return Response(HostItemSerializer(fresh).data, status=code)


class HostSessionListView(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = HostSessionSerializer
    pagination_class = PageNumberPagination
    filter_backends: ClassVar[list] = []

    def get_queryset(self) -> QuerySet[LiveSession]:
        if getattr(self, "swagger_fake_view", False):
            return LiveSession.objects.none()
        return selectors.host_sessions(host=_host(self.request))

    @extend_schema(
        operation_id="host_sessions_list",
        responses={200: HostSessionSerializer(many=True), 403: NOT_A_HOST},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Your sessions, newest start first, whatever their status, with their featured items counted."""
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="host_sessions_create",
        request=HostSessionWriteSerializer,
        responses={201: HostSessionSerializer, 403: NOT_A_HOST_WRITE},
    )
    def post(self, request: Request) -> Response:
        """Schedule a session: a title in at least one language, start, end (in the future) and stream link.

        Its slug, the share link, is made from the English title with a random suffix."""
        host = _host(request)
        body = HostSessionWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        session = services.session_create(host=host, actor=request.user, **body.validated_data)
        return _session_body(request, host, session, code=status.HTTP_201_CREATED)


class HostSessionDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="host_sessions_retrieve",
        responses={200: HostSessionSerializer, 404: SESSION_NOT_FOUND},
    )
    def get(self, request: Request, slug: str) -> Response:
        """One of your sessions."""
        host = selectors.host_of(request.user)
        if host is None:
            raise NotFound
        session = selectors.host_sessions(host=host).get(slug=slug)
        return Response(HostSessionSerializer(session, context={"request": request}).data)

    @extend_schema(
        operation_id="host_sessions_partial_update",
        request=HostSessionWriteSerializer,
        responses={200: HostSessionSerializer, 404: SESSION_NOT_FOUND, 409: SESSION_CLOSED},
    )
    def patch(self, request: Request, slug: str) -> Response:
        """Change a scheduled or live session's titles, descriptions, times or stream link.

        A session on air keeps its start."""
        host, session = _own_session(request, slug)
        body = HostSessionWriteSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        session = services.session_update(session=session, actor=request.user, **body.validated_data)
        return _session_body(request, host, session)


class SessionMoveView(APIView):
    """A button on the host's session: the service that makes the move."""

    permission_classes = [IsAuthenticated]
    move: ClassVar[Any]

    def post(self, request: Request, slug: str) -> Response:
        host, session = _own_session(request, slug)
        session = type(self).move(session=session, actor=request.user)
        return _session_body(request, host, session)


def _move_schema(operation_id: str, description: str, conflict: str) -> Any:
    return extend_schema_view(
        post=extend_schema(
            operation_id=operation_id,
            description=description,
            request=None,
            responses={
                200: OpenApiResponse(HostSessionSerializer, description="The session after the move."),
                404: SESSION_NOT_FOUND,
                409: OpenApiResponse(SessionTransitionErrorSerializer, description=conflict),
            },
        )
    )


@_move_schema(
    "host_sessions_go_live",
    "Put a scheduled session on air, early if you like: its accepted items sell at their flash prices until it "
    "ends, at the latest at its scheduled end.",
    "`illegal_transition`: the session is not scheduled, or its scheduled end has passed.",
)
class SessionGoLiveView(SessionMoveView):
    move = staticmethod(services.session_go_live)


@_move_schema(
    "host_sessions_end",
    "Take a live session off air: from now on its items sell at their normal prices.",
    "`illegal_transition`: the session is not live.",
)
class SessionEndView(SessionMoveView):
    move = staticmethod(services.session_end)


@_move_schema(
    "host_sessions_cancel",
    "Call off a session that has not gone live; shoppers no longer see it.",
    "`illegal_transition`: the session is not scheduled (it went live, ended or was cancelled).",
)
class SessionCancelView(SessionMoveView):
    move = staticmethod(services.session_cancel)


class SessionCoverView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser]

    def get_throttles(self) -> list:
        # Each photo is decoded and re-encoded: tighter than the other writes, on top of the defaults.
        return (
            [together(*super().get_throttles(), ImageUploadThrottle())]
            if self.request.method == "POST"
            else super().get_throttles()
        )

    @extend_schema(
        operation_id="host_sessions_cover_create",
        request={"multipart/form-data": SessionCoverUploadSerializer},
        responses={200: HostSessionSerializer, 404: SESSION_NOT_FOUND, 409: SESSION_CLOSED},
    )
    def post(self, request: Request, slug: str) -> Response:
        """Set the session's cover photo (multipart, field `cover`): it is checked, stripped of EXIF and GPS, and
        re-encoded; a photo refused stores nothing."""
        host, session = _own_session(request, slug)
        body = SessionCoverUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            photo = reencoded_photo(upload_bytes(body.validated_data["cover"]))
        except DjangoValidationError as error:
            raise ValidationError({"cover": error.messages}) from None
        session = services.session_update(session=session, actor=request.user, cover=photo)
        return _session_body(request, host, session)

    @extend_schema(
        operation_id="host_sessions_cover_destroy",
        responses={200: HostSessionSerializer, 404: SESSION_NOT_FOUND, 409: SESSION_CLOSED},
    )
    def delete(self, request: Request, slug: str) -> Response:
        """Remove the session's cover photo."""
        host, session = _own_session(request, slug)
        session = services.session_update(session=session, actor=request.user, remove_cover=True)
        return _session_body(request, host, session)


# The host's featured items


class HostSessionItemsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="host_sessions_items_list",
        responses={200: HostItemSerializer(many=True), 404: SESSION_NOT_FOUND},
    )
    def get(self, request: Request, slug: str) -> Response:
        """Every item featured in one of your sessions, in their order, whatever the producer answered."""
        _, session = _own_session(request, slug)
        return Response(HostItemSerializer(selectors.host_session_items(session=session), many=True).data)

    @extend_schema(
        operation_id="host_sessions_items_create",
        request=HostItemCreateSerializer,
        responses={
            201: OpenApiResponse(HostItemSerializer, description="The item, proposed to its producer."),
            404: SESSION_NOT_FOUND,
            409: SESSION_CLOSED,
        },
    )
    def post(self, request: Request, slug: str) -> Response:
        """Feature a variant at a flash price below its normal price, with a quantity cap and a per-shopper limit.

        The producer is asked: it sells at the flash price only once they accept."""
        host, session = _own_session(request, slug)
        body = HostItemCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        item = services.item_feature(
            session=session,
            actor=request.user,
            variant_id=data["variant"],
            flash_price=data["flash_price"],
            quantity_cap=data["quantity_cap"],
            per_shopper_limit=data["per_shopper_limit"],
        )
        return _item_body(host, item, code=status.HTTP_201_CREATED)


class HostItemDetailView(APIView):
    permission_classes = [IsAuthenticated]

    def _item(self, request: Request, pk: int) -> tuple[Host, LiveSessionItem]:
        host = selectors.host_of(request.user)
        if host is None:
            raise NotFound
        return host, selectors.host_items(host=host).get(pk=pk)

    @extend_schema(
        operation_id="host_items_partial_update",
        request=HostItemUpdateSerializer,
        responses={200: HostItemSerializer, 404: ITEM_NOT_FOUND, 409: SESSION_CLOSED},
    )
    def patch(self, request: Request, pk: int) -> Response:
        """Change an item's flash price, cap or limit. A lower flash price or a larger cap asks the producer again;
        the cap cannot go below what has sold."""
        host, item = self._item(request, pk)
        body = HostItemUpdateSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        terms = {
            "flash_price": item.flash_price,
            "quantity_cap": item.quantity_cap,
            "per_shopper_limit": item.per_shopper_limit,
            **body.validated_data,
        }
        item = services.item_update(item=item, actor=request.user, **terms)
        return _item_body(host, item)

    @extend_schema(
        operation_id="host_items_destroy",
        responses={
            204: None,
            400: OpenApiResponse(
                ErrorSerializer, description="`has_sales`: units sold at the flash price; lower the cap instead."
            ),
            404: ITEM_NOT_FOUND,
            409: SESSION_CLOSED,
        },
    )
    def delete(self, request: Request, pk: int) -> Response:
        """Take an item out of its session, unless units of it have sold at the flash price."""
        _, item = self._item(request, pk)
        services.item_remove(item=item, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# Figures and commission


class HostSessionFiguresView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="host_sessions_figures",
        responses={200: SessionFiguresSerializer, 404: SESSION_NOT_FOUND},
    )
    def get(self, request: Request, slug: str) -> Response:
        """What one of your sessions sold: orders, units and goods' total, per featured item, and its commission."""
        _, session = _own_session(request, slug)
        figures = selectors.session_figures(session=session)
        items = [
            {"item": item, "orders": sold.orders, "units": sold.units, "revenue": sold.revenue}
            if (sold := figures.items.get(item.pk))
            else {"item": item, "orders": 0, "units": 0, "revenue": Decimal("0.00")}
            for item in selectors.host_session_items(session=session)
        ]
        body = {"session": session, "figures": figures, "currency": CURRENCY, "items": items}
        return Response(SessionFiguresSerializer(body).data)


class HostCommissionView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="host_commission_retrieve",
        responses={200: HostCommissionSerializer, 403: NOT_A_HOST},
    )
    def get(self, request: Request) -> Response:
        """Your commission in all, per session and per month: pending, earned and reversed."""
        host = _host(request)
        by_session = list(selectors.commission_by_session(host=host))
        sessions = selectors.host_sessions(host=host).in_bulk([row["session"] for row in by_session])
        balances = CommissionEntry.Kind.values
        body = {
            "commission_rate": host.commission_rate,
            "currency": CURRENCY,
            "totals": selectors.commission_balances(selectors.commission_entries(host=host)),
            "sessions": [
                {
                    "session": row["session__slug"],
                    "name": sessions[row["session"]].name,
                    "starts_at": row["session__starts_at"],
                    **{kind: row[kind] or 0 for kind in balances},
                }
                for row in by_session
            ],
            "months": [
                {
                    "month": timezone.localtime(row["month"], selectors.SHANGHAI).strftime("%Y-%m"),
                    **{kind: row[kind] or 0 for kind in balances},
                }
                for row in selectors.commission_by_month(host=host)
            ],
        }
        return Response(HostCommissionSerializer(body).data)


# The producer's proposals


def _proposals(request: Request) -> QuerySet[LiveSessionItem]:
    return selectors.proposals_for(producers=dashboard_producers(user=request.user))


class ProposalListView(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = ProposalSerializer
    pagination_class = PageNumberPagination
    filterset_class = ProposalFilter

    def get_queryset(self) -> QuerySet[LiveSessionItem]:
        if getattr(self, "swagger_fake_view", False):
            return LiveSessionItem.objects.none()
        return selectors.proposals_open(producers=dashboard_producers(user=self.request.user))

    @extend_schema(operation_id="live_proposals_list", responses={200: ProposalSerializer(many=True)})
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Hosts' proposals to feature your producers' variants in sessions not over, newest session first, with
        the terms and your answer; filter by `consent`. Someone who works for no producer gets an empty list."""
        return super().get(request, *args, **kwargs)


class ProposalAnswerView(APIView):
    permission_classes = [IsAuthenticated]
    accept: ClassVar[bool]

    def post(self, request: Request, pk: int) -> Response:
        item = _proposals(request).get(pk=pk)
        if item.session.ends_at <= timezone.now():
            target = LiveSessionItem.Consent.ACCEPTED if self.accept else LiveSessionItem.Consent.DECLINED
            raise SessionTransitionError(
                _("The session “%(session)s” is over: there is nothing left to answer.")
                % {"session": item.session.name},
                current=item.consent,
                requested=target,
            )
        services.item_answer(item=item, actor=request.user, accept=self.accept)
        fresh = _proposals(request).get(pk=pk)
        return Response(ProposalSerializer(fresh, context={"request": request}).data)


def _answer_schema(operation_id: str, description: str) -> Any:
    return extend_schema_view(
        post=extend_schema(
            operation_id=operation_id,
            description=description,
            request=None,
            responses={
                200: OpenApiResponse(ProposalSerializer, description="The proposal with your answer."),
                404: OpenApiResponse(ErrorSerializer, description="No such proposal for your producers."),
                409: OpenApiResponse(
                    SessionTransitionErrorSerializer,
                    description="`illegal_transition`: the session is over; there is nothing left to answer.",
                ),
            },
        )
    )


@_answer_schema(
    "live_proposals_accept",
    "Agree to the proposal: the variant sells at the flash price in that session, within the cap and the limit.",
)
class ProposalAcceptView(ProposalAnswerView):
    accept = True


@_answer_schema(
    "live_proposals_decline",
    "Decline the proposal: the variant never sells at the flash price in that session (also after accepting).",
)
class ProposalDeclineView(ProposalAnswerView):
    accept = False
