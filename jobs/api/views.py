from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAdminUser
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.api.permissions import IsCleaner
from cleanit.api.schema import error_responses, near_parameters
from cleanit.response_cache import CachedGetMixin
from jobs import selectors, services

from . import serializers as s


class JobBoardView(CachedGetMixin, ListAPIView):
    response_cache_scope = "shared"  # the same board for every cleaner (IsCleaner is checked first)
    permission_classes = [IsCleaner]
    serializer_class = s.JobSerializer
    filter_backends: list = []

    def get_queryset(self):
        params = self.request.query_params
        filters = selectors.board_filters(**{name: params.get(name) for name in ("sort", "lat", "lng", "radius_km")})
        return selectors.jobs_board(**filters)

    @extend_schema(tags=["jobs"], summary="Available jobs (the board); within radius_km of lat, lng (the cleaner)",
                   parameters=[OpenApiParameter("sort", OpenApiTypes.STR, enum=selectors.BOARD_SORTS,
                                                description="distance: nearest first (needs lat and lng)"),
                               *near_parameters()],
                   responses={200: s.JobSerializer(many=True), **error_responses(400, 401, 403, 404)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class MyJobsView(ListAPIView):
    permission_classes = [IsCleaner]
    serializer_class = s.JobSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.jobs_of_cleaner(cleaner=self.request.user)

    @extend_schema(tags=["jobs"], summary="Your jobs: claimed first (by deadline), then completed and paid",
                   responses={200: s.JobSerializer(many=True), **error_responses(401, 403, 404)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class JobDetailView(APIView):
    permission_classes = [IsCleaner]

    @extend_schema(tags=["jobs"], summary="One job", responses={200: s.JobSerializer, **error_responses(401, 403, 404)})
    def get(self, request, job_id):
        job = selectors.job_for_viewer(viewer=request.user, job_id=job_id)
        return Response(s.JobSerializer(job, context={"request": request}).data)


class ClaimView(APIView):
    permission_classes = [IsCleaner]

    @extend_schema(tags=["jobs"], request=None,
                   summary="Claim a job: 7 days to complete it; 409 already_claimed, 429 claim_limit (5 active)",
                   responses={200: s.JobSerializer, **error_responses(401, 403, 404, 409, 429)})
    def post(self, request, job_id):
        job = selectors.job_get(job_id=job_id)
        job = services.job_claim(job=job, cleaner=request.user)
        return Response(s.JobSerializer(job, context={"request": request}).data)


class UnclaimView(APIView):
    permission_classes = [IsCleaner]

    @extend_schema(tags=["jobs"], request=s.UnclaimSerializer,
                   summary="Give a job back with a reason (more than 24 h before the deadline; no penalty)",
                   responses={200: s.JobSerializer, **error_responses(400, 401, 403, 404, 409)})
    def post(self, request, job_id):
        serializer = s.UnclaimSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = selectors.job_get(job_id=job_id)
        job = services.job_unclaim(job=job, cleaner=request.user, reason=serializer.validated_data["reason"])
        return Response(s.JobSerializer(job, context={"request": request}).data)


class CompleteView(APIView):
    permission_classes = [IsCleaner]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(tags=["jobs"], request={"multipart/form-data": s.CompleteSerializer},
                   summary="Complete a claimed job with the after-photo; the answer lists the flags it raised",
                   responses={200: s.JobSerializer, **error_responses(400, 401, 403, 404, 409, 413, 415)})
    def post(self, request, job_id):
        job = selectors.job_get(job_id=job_id)
        job = services.job_complete(job=job, cleaner=request.user, photo=request.FILES.get("photo"))
        return Response(s.JobSerializer(job, context={"request": request}).data)


class VerificationQueueView(ListAPIView):
    permission_classes = [IsAdminUser]
    serializer_class = s.QueueItemSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.verification_queue()

    @extend_schema(tags=["admin"], summary="Completed jobs to verify, most pressing first, with the SLA figures",
                   responses={200: s.VerificationQueuePageSerializer, **error_responses(401, 403, 404)})
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response.data["sla"] = s.SLASerializer(selectors.verification_sla()).data
        return response


class VerifyView(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(tags=["admin"], request=s.JobVerifySerializer,
                   summary="Approve (payout in 24 h) or reject with a reason, allowing a retry or not",
                   responses={200: s.JobSerializer, **error_responses(400, 401, 403, 404, 409)})
    def post(self, request, job_id):
        serializer = s.JobVerifySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = selectors.job_get(job_id=job_id)
        job = services.job_verify(job=job, admin=request.user, **serializer.validated_data)
        return Response(s.JobSerializer(job, context={"request": request}).data)
