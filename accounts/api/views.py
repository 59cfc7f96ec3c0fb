"""Account endpoints: an API token for a username and password, and shopper registration."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import AuthenticationFailed, Throttled
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.api.serializers import (
    AccountNeededSerializer,
    AccountSerializer,
    PhoneAccountSerializer,
    PhoneCodeRequestSerializer,
    PhoneTokenRequestSerializer,
    RegisterSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)
from accounts.api.throttling import LoginAddressThrottle, LoginThrottle, RegisterThrottle
from marketplace import rate_limits
from marketplace.api.serializers import ErrorSerializer
from marketplace.api.throttling import together
from marketplace.audit_log import auth_event
from marketplace.errors import DomainError
from notifications.one_time_codes import CodeLimited, code_send, normalize_phone


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


class AccountNeeded(DomainError):
    """The code was right, but no account has the number: send a name (and the ticket) to create one."""

    status = status.HTTP_409_CONFLICT
    code = "account_needed"

    def __init__(self, ticket: str) -> None:
        self.ticket = ticket
        super().__init__(_("No account has this number yet. Send a display name with this ticket to create one."))

    def body(self):
        return {**super().body(), "signup_ticket": self.ticket}


class PhoneCodeView(APIView):
    """Counted per number and per address by ``notifications.one_time_codes`` itself."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="auth_phone_code_create",
        request=PhoneCodeRequestSerializer,
        responses={
            202: OpenApiResponse(ErrorSerializer, description="The code is texted; it expires in 10 minutes."),
            429: OpenApiResponse(
                ErrorSerializer,
                description="Too many codes for this number or from this address; `Retry-After` says when to retry.",
            ),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        """Text a sign-in code to a mainland mobile number (for `POST /auth/phone/token/`)."""
        body = PhoneCodeRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        phone = normalize_phone(body.validated_data["phone"])
        try:
            code_send(purpose=services.PHONE_SIGN_IN, phone=phone, address=rate_limits.client_address(request))
        except CodeLimited as limited:
            refused = Throttled(detail=str(limited))
            refused.wait = limited.retry_after  # Retry-After
            raise refused from None
        return Response({"detail": _("A new code is on its way."), "code": "sent"}, status=status.HTTP_202_ACCEPTED)


class PhoneTokenView(APIView):
    permission_classes = [AllowAny]

    def get_throttles(self):
        return [LoginAddressThrottle()]

    @extend_schema(
        operation_id="auth_phone_token_create",
        request=PhoneTokenRequestSerializer,
        responses={
            200: TokenSerializer,
            201: PhoneAccountSerializer,
            401: OpenApiResponse(
                ErrorSerializer, description="A wrong, expired or used-up code (`wrong_code`), or an old ticket."
            ),
            409: OpenApiResponse(
                AccountNeededSerializer,
                description="The code was right but no account has the number: `account_needed` with a ticket.",
            ),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        """Trade a mobile number and its texted code (`sms_code`) for the account's API token.

        A number without an account answers 409 `account_needed` with a `signup_ticket`; sent back with a
        `display_name` (email and password optional) instead of the code, it creates the account (201, with its
        token). A `display_name` sent with the code does the same in one call."""
        body = PhoneTokenRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        phone = normalize_phone(data["phone"])
        sign_up = None
        if data.get("display_name") is not None:
            # Checked before the code is used up, so a bad name or email does not cost the code.
            sign_up = services.phone_sign_up_check(
                display_name=data["display_name"], email=data.get("email", ""), password=data.get("password", "")
            )
        try:
            if data.get("signup_ticket"):
                user = None
                if services.phone_from_ticket(data["signup_ticket"]) != phone:
                    raise ValidationError(_("That took too long. Ask for a new code."), code="invalid_ticket")
            else:
                user = services.phone_code_verify(phone=phone, code=data["sms_code"])
        except ValidationError as error:
            raise AuthenticationFailed(error.messages[0], code=error.code) from None
        if user is not None:
            auth_event("auth.signed_in", user_id=user.pk, method="api_phone_code")
            return Response({"token": services.api_token_issue(user=user).key})
        if sign_up is None:
            raise AccountNeeded(services.phone_signup_ticket(phone=phone))
        user = services.phone_shopper_register(phone=phone, **sign_up)
        services.api_token_issue(user=user)
        auth_event("auth.signed_in", user_id=user.pk, method="api_phone_code")
        return Response(PhoneAccountSerializer(user).data, status=status.HTTP_201_CREATED)
