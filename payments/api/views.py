import uuid

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAdminUser
from rest_framework.response import Response
from rest_framework.views import APIView

from cleanit.api.pagination import PageNumberPagination
from cleanit.api.schema import error_responses
from cleanit.response_cache import CachedGetMixin
from payments import errors, selectors, services

from . import serializers as s


class VerifyView(APIView):
    @extend_schema(tags=["payments"], request=s.VerifySerializer,
                   responses={200: s.PaymentSerializer, **error_responses(400, 401, 404)},
                   summary="Confirm a Checkout payment by its signature (credited once, with the webhook)")
    def post(self, request):
        serializer = s.VerifySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        payment = services.payment_verify(payer=request.user, order_id=data["razorpay_order_id"],
                                          payment_id=data["razorpay_payment_id"], signature=data["razorpay_signature"])
        return Response(s.PaymentSerializer(payment).data)


class WebhookView(APIView):
    """Razorpay webhooks. Authenticated by X-Razorpay-Signature over the raw body, not by a user."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["payments"], request={"application/json": {"type": "object"}},
        parameters=[OpenApiParameter("X-Razorpay-Signature", str, OpenApiParameter.HEADER, required=True,
                                     description="HMAC-SHA256 (hex) of the raw body with the webhook secret"),
                    OpenApiParameter("X-Razorpay-Event-Id", str, OpenApiParameter.HEADER,
                                     description="Unique per event, repeated on redelivery")],
        responses={200: s.WebhookAckSerializer, **error_responses(400)},
        summary="Gateway webhook: 200 processed, ignored or duplicate; 400 bad signature or a body that is not "
                "an event we can act on (nothing stored)")
    def post(self, request):
        try:
            raw_body = request.body.decode("utf-8")
        except UnicodeDecodeError:
            raw_body = None
        signature = request.headers.get("X-Razorpay-Signature", "")
        if raw_body is None or not signature:
            raise errors.InvalidSignature("The webhook signature is missing or the body is not UTF-8.")
        outcome = services.webhook_receive(raw_body=raw_body, signature=signature,
                                           event_id=request.headers.get("X-Razorpay-Event-Id"))
        return Response({"status": outcome})


class PaymentDetailView(APIView):
    @extend_schema(tags=["payments"], responses={200: s.PaymentSerializer, **error_responses(401, 404)},
                   summary="One of your payments (with its refunds)")
    def get(self, request, payment_id):
        return Response(s.PaymentSerializer(selectors.payment_for_participant(user=request.user,
                                                                              payment_id=payment_id)).data)


class AdminRefundView(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(tags=["admin"], request=s.AdminRefundSerializer,
                   responses={201: s.RefundSerializer, **error_responses(400, 401, 403, 404)},
                   summary="Refund (part of) a captured payment; processed in the background, audited")
    def post(self, request, payment_id):
        serializer = s.AdminRefundSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        payment = selectors.payment_for_participant(user=request.user, payment_id=payment_id)
        refund = services.refund_request(payment=payment, amount=serializer.validated_data.get("amount"),
                                         reason=serializer.validated_data["reason"],
                                         refund_key=f"admin:{uuid.uuid4()}", requested_by=request.user)
        return Response(s.RefundSerializer(refund).data, status=status.HTTP_201_CREATED)


class TransactionsView(CachedGetMixin, APIView):
    response_cache_scope = "private"
    @extend_schema(tags=["users"], responses={200: s.TransactionsSerializer, **error_responses(401, 404)},
                   summary="Your payments (contributions...) and refunds, newest first, with totals")
    def get(self, request):
        history = selectors.transactions_for(user=request.user)
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(history["items"], request, view=self)
        response = paginator.get_paginated_response(
            s.TransactionSerializer(page, many=True, context={"request": request}).data)
        response.data = {"totals": history["totals"], **response.data}
        return response


class FinancialOverviewView(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(tags=["admin"], responses={200: s.FinancialOverviewSerializer, **error_responses(401, 403)},
                   summary="Raised, paid out, fees, escrow balance, pending refunds; per month")
    def get(self, request):
        return Response(selectors.financial_overview())
