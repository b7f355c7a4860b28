from django.http import JsonResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAdminUser
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.api.permissions import IsCleaner
from cleanit.api.schema import error_responses
from cleanit.api.throttling import AuthRateThrottle
from marketplace import notices, selectors, services
from notifications import selectors as notification_selectors
from notifications import services as notification_services
from payments import selectors as payment_selectors

from . import serializers as s


class _PublicAuthView(APIView):
    """Sign-in family: no credentials needed (a stale bearer header must not get in the way)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [AuthRateThrottle]
    auth_throttle_action = "auth"

    def _valid(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


def _token_body(pair, user=None) -> dict:
    body = {"access": pair.access, "refresh": pair.refresh}
    if user is not None:
        body["user"] = s.UserSerializer(user).data
    return body


class RegisterView(_PublicAuthView):
    auth_throttle_action = "register"

    @extend_schema(tags=["auth"], request=s.RegisterSerializer,
                   responses={201: s.RegisteredUserSerializer, **error_responses(400)},
                   summary="Create an account (no tokens; sign in separately)")
    def post(self, request):
        user = services.user_register(**self._valid(s.RegisterSerializer))
        return Response(s.RegisteredUserSerializer(user).data, status=status.HTTP_201_CREATED)


class LoginView(_PublicAuthView):
    auth_throttle_action = "login"

    @extend_schema(tags=["auth"], request=s.LoginSerializer,
                   responses={200: s.LoginResponseSerializer, **error_responses(400, 401, 403, 423)},
                   summary=notices.login_summary())
    def post(self, request):
        user = services.auth_login(**self._valid(s.LoginSerializer))
        return Response(_token_body(services.auth_issue_tokens(user=user), user))


class RefreshView(_PublicAuthView):
    throttle_classes: list = []

    @extend_schema(tags=["auth"], request=s.RefreshSerializer,
                   responses={200: s.TokenPairSerializer, **error_responses(400, 401)},
                   summary="Rotate a refresh token (the old one is revoked)")
    def post(self, request):
        return Response(_token_body(services.auth_refresh(**self._valid(s.RefreshSerializer))))


class LogoutView(APIView):
    @extend_schema(tags=["auth"], request=s.RefreshSerializer,
                   responses={204: OpenApiResponse(description="Revoked"), **error_responses(400, 401)},
                   summary="Revoke a refresh token")
    def post(self, request):
        serializer = s.RefreshSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.auth_logout(user=request.user, **serializer.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ForgotPasswordView(_PublicAuthView):
    auth_throttle_action = "forgot-password"

    @extend_schema(tags=["auth"], request=s.EmailSerializer,
                   responses={202: s.MessageSerializer, **error_responses(400)},
                   summary="Mail a reset link if the account exists (always 202)")
    def post(self, request):
        services.password_reset_request(**self._valid(s.EmailSerializer))
        return Response({"detail": notices.RESET_LINK_SENT}, status=status.HTTP_202_ACCEPTED)


class ResetPasswordView(_PublicAuthView):
    auth_throttle_action = "reset-password"

    @extend_schema(tags=["auth"], request=s.TokenPasswordSerializer,
                   responses={200: s.MessageSerializer, **error_responses(400)},
                   summary=notices.reset_summary())
    def post(self, request):
        services.password_reset_confirm(**self._valid(s.TokenPasswordSerializer))
        return Response({"detail": notices.PASSWORD_RESET_DONE})


class VerifyEmailView(_PublicAuthView):
    throttle_classes: list = []

    @extend_schema(tags=["auth"], request=s.TokenSerializer,
                   responses={200: s.MessageSerializer, **error_responses(400)}, summary="Confirm an e-mail address")
    def post(self, request):
        services.email_verify(**self._valid(s.TokenSerializer))
        return Response({"detail": notices.EMAIL_VERIFIED})


class MeView(APIView):
    @extend_schema(tags=["users"], responses={200: s.UserSerializer, **error_responses(401)},
                   summary="Your profile")
    def get(self, request):
        return Response(s.UserSerializer(request.user).data)

    @extend_schema(tags=["users"], request=s.ProfileUpdateSerializer,
                   responses={200: s.UserSerializer, **error_responses(400, 401)}, summary="Update your profile")
    def patch(self, request):
        serializer = s.ProfileUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_update_profile(user=request.user, **serializer.validated_data)
        return Response(s.UserSerializer(user).data)

    # OpenAPI 3.0 has no request body for DELETE (drf-spectacular drops one), so the description says it.
    @extend_schema(tags=["users"], request=None,
                   responses={204: OpenApiResponse(description="Account anonymised"), **error_responses(400, 401, 403)},
                   summary="Delete your account (anonymised; financial records are kept); confirm with your password",
                   description='Send your current password as the JSON body: `{"password": "..."}`. A missing or '
                               'wrong password answers 400 with the error on the field `password`.')
    def delete(self, request):
        serializer = s.DeleteAccountSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.user_delete_account(user=request.user, **serializer.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ChangePasswordView(APIView):
    @extend_schema(tags=["users"], request=s.ChangePasswordSerializer,
                   responses={200: s.MessageSerializer, **error_responses(400, 401)},
                   summary="Change your password (signs out every other device)")
    def post(self, request):
        serializer = s.ChangePasswordSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.user_change_password(user=request.user, **serializer.validated_data)
        return Response({"detail": notices.PASSWORD_CHANGED_API})


class DataExportView(APIView):
    @extend_schema(tags=["users"], responses={200: OpenApiResponse(description="All your data as JSON"),
                                              **error_responses(401)}, summary="Download all your data")
    def get(self, request):
        response = JsonResponse(selectors.user_data_export(user=request.user), json_dumps_params={"indent": 2})
        response["Content-Disposition"] = 'attachment; filename="cleanit-my-data.json"'
        return response


class NotificationPreferencesView(APIView):
    @extend_schema(tags=["users"], responses={200: s.NotificationPreferencesSerializer, **error_responses(401)},
                   summary="Notification preferences per category")
    def get(self, request):
        return Response(notification_selectors.preferences_for(user=request.user))

    @extend_schema(tags=["users"], request=s.NotificationPreferencesSerializer,
                   responses={200: s.NotificationPreferencesSerializer, **error_responses(400, 401)},
                   summary="Set notification preferences (payment, refund and security notices always arrive)")
    def put(self, request):
        serializer = s.NotificationPreferencesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        notification_services.preferences_update(user=request.user, **serializer.validated_data)
        return Response(notification_selectors.preferences_for(user=request.user))


class PublicUserView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(tags=["users"], responses={200: s.PublicUserSerializer, **error_responses(404)},
                   summary="Public information about a user")
    def get(self, request, user_id):
        return Response(s.PublicUserSerializer(selectors.user_get_public(user_id=user_id)).data)


class MyKYCView(APIView):
    permission_classes = [IsCleaner]

    @extend_schema(tags=["cleaners"], responses={200: s.KYCSerializer, **error_responses(401, 403, 404)},
                   summary="Your KYC details (masked) and their review status")
    def get(self, request):
        return Response(s.KYCSerializer(selectors.kyc_for(user=request.user)).data)

    @extend_schema(tags=["cleaners"], request=s.KYCSubmitSerializer,
                   responses={201: s.KYCSerializer, **error_responses(400, 401, 403)},
                   summary="Submit ID and bank account or UPI id (replaces earlier details; reviewed by an admin)")
    def post(self, request):
        serializer = s.KYCSubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        kyc = services.kyc_submit(user=request.user, **serializer.validated_data)
        return Response(s.KYCSerializer(kyc).data, status=status.HTTP_201_CREATED)


class MyEarningsView(APIView):
    permission_classes = [IsCleaner]

    @extend_schema(tags=["cleaners"], responses={200: s.EarningsSerializer, **error_responses(401, 403)},
                   summary="Your earnings: totals, paid per month (last 12, IST) and payouts")
    def get(self, request):
        return Response(s.EarningsSerializer(payment_selectors.earnings_for(user=request.user)).data)


class AdminKYCReviewView(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(tags=["admin"], request=s.KYCReviewSerializer,
                   responses={200: s.KYCSerializer, **error_responses(400, 401, 403, 404, 409, 502)},
                   summary="Verify (creates the RazorpayX contact and fund account) or reject a cleaner's KYC")
    def post(self, request, user_id):
        serializer = s.KYCReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        kyc = services.kyc_review(kyc=selectors.kyc_for_user_id(user_id=user_id), admin=request.user,
                                  **serializer.validated_data)
        return Response(s.KYCSerializer(kyc).data)
