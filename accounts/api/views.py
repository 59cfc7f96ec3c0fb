"""Account endpoints: an API token for a username and password, and shopper registration."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import AuthenticationFailed, Throttled
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.api.serializers import AccountSerializer, RegisterSerializer, TokenRequestSerializer, TokenSerializer
from accounts.api.throttling import LoginAddressThrottle, LoginThrottle, RegisterThrottle
from marketplace.api.serializers import ErrorSerializer
from marketplace.api.throttling import together
from marketplace.audit_log import auth_event


class TokenView(APIView):
    permission_classes = [AllowAny]

    def get_throttles(self):
        if self.request.method == "POST":
            return [together(LoginThrottle(), LoginAddressThrottle())]
        return super().get_throttles()

    def get_permissions(self):
        return [IsAuthenticated()] if self.request.method == "DELETE" else super().get_permissions()

    @extend_schema(
        operation_id="auth_token_create",
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            401: OpenApiResponse(ErrorSerializer, description="Wrong username or password."),
            429: OpenApiResponse(
                ErrorSerializer,
                description="Too many attempts on this account or from this address; `Retry-After` says when to retry.",
            ),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        """Trade a username and password for the account's API token."""
        body = TokenRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = authenticate(request, username=body.validated_data["username"], password=body.validated_data["password"])
        locked = getattr(request, "sign_in_locked", None)
        if locked is not None:
            refused = Throttled(detail=locked.message)
            refused.wait = locked.retry_after  # Retry-After, without DRF's English "Expected available in ..."
            raise refused
        if user is None:
            raise AuthenticationFailed(_("The username or password is wrong."), code="invalid_credentials")
        auth_event("auth.signed_in", user_id=user.pk, method="api_token")
        return Response({"token": services.api_token_issue(user=user).key})

    @extend_schema(operation_id="auth_token_destroy", responses={204: None})
    def delete(self, request: Request) -> Response:
        """Revoke the account's API token (sign out every client that holds it)."""
        services.api_token_revoke(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RegisterView(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [RegisterThrottle]

    @extend_schema(
        operation_id="auth_register",
        request=RegisterSerializer,
        responses={201: AccountSerializer},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        """Create a shopper account; the answer carries its API token."""
        body = RegisterSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = services.shopper_register(**body.validated_data)
        services.api_token_issue(user=user)
        return Response(AccountSerializer(user).data, status=status.HTTP_201_CREATED)
