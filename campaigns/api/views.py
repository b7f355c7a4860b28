from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAdminUser, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from campaigns import selectors, services
from campaigns.models import Campaign
from cleanit.api.schema import error_responses, near_parameters
from cleanit.response_cache import CachedGetMixin

from . import serializers as s

LIST_PARAMS = ("status", "sort", "city", "lat", "lng", "radius_km")


class CampaignListCreateView(CachedGetMixin, ListAPIView):
    response_cache_scope = "public"  # drafts and the caller's own contributions: shared by anonymous callers only
    response_cache_open = True  # GET: anyone, no permission
    serializer_class = s.CampaignSerializer
    filter_backends: list = []
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "GET" else [IsAuthenticated()]

    def get_queryset(self):
        params = self.request.query_params
        filters = selectors.list_filters(**{name: params.get(name) for name in LIST_PARAMS})
        return selectors.campaign_list(viewer=self.request.user, **filters)

    @extend_schema(tags=["campaigns"],
                   summary="Campaigns: live ones (raising funds or funded) unless a status is asked for; "
                           "drafts only to their creator; by city and/or within radius_km of lat, lng",
                   parameters=[OpenApiParameter("status", OpenApiTypes.STR, enum=Campaign.Status.values),
                               OpenApiParameter("sort", OpenApiTypes.STR, enum=selectors.LIST_SORTS,
                                                description="distance: nearest first (needs lat and lng)"),
                               OpenApiParameter("city", OpenApiTypes.STR,
                                                description="exact city name, any letter case"),
                               *near_parameters()],
                   responses={200: s.CampaignSerializer(many=True), **error_responses(400, 404)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(tags=["campaigns"], summary="Start a campaign (a first-time creator's waits for approval)",
                   request={"multipart/form-data": s.CampaignCreateSerializer},
                   responses={201: s.CampaignSerializer, **error_responses(400, 401, 413, 415)})
    def post(self, request):
        serializer = s.CampaignCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        campaign = services.campaign_create(creator=request.user, **serializer.validated_data)
        return Response(s.CampaignSerializer(campaign, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)


class CampaignDetailView(CachedGetMixin, APIView):
    response_cache_scope = "public"
    response_cache_open = True  # GET: anyone, no permission
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "GET" else [IsAuthenticated()]

    @extend_schema(tags=["campaigns"],
                   summary="One campaign, with the caller's own contributions, its refunds once expired or "
                           "cancelled, and share links",
                   responses={200: s.CampaignDetailSerializer, **error_responses(404)})
    def get(self, request, campaign_id):
        campaign = selectors.campaign_for_viewer(viewer=request.user, campaign_id=campaign_id)
        return Response(s.CampaignDetailSerializer(campaign, context={"request": request}).data)

    @extend_schema(tags=["campaigns"],
                   summary="Edit your draft before it is approved (the rules of starting one; fields left out "
                           "stay); 409 campaign_not_draft once approved or ended",
                   request={"multipart/form-data": s.CampaignUpdateSerializer,
                            "application/json": s.CampaignUpdateSerializer},
                   responses={200: s.CampaignDetailSerializer, **error_responses(400, 401, 403, 404, 409, 413, 415)})
    def patch(self, request, campaign_id):
        campaign = selectors.campaign_for_viewer(viewer=request.user, campaign_id=campaign_id)
        serializer = s.CampaignUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        campaign = services.campaign_update(campaign=campaign, user=request.user, **serializer.validated_data)
        return Response(s.CampaignDetailSerializer(campaign, context={"request": request}).data)


class ContributeView(APIView):
    @extend_schema(tags=["campaigns"], request=s.ContributeSerializer,
                   summary="Contribute: opens a payment order; credited once the gateway confirms it",
                   responses={201: s.ContributionStartedSerializer, **error_responses(400, 401, 403, 404, 409)})
    def post(self, request, campaign_id):
        campaign = selectors.campaign_for_viewer(viewer=request.user, campaign_id=campaign_id)
        serializer = s.ContributeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        contribution = services.contribution_start(campaign=campaign, contributor=request.user,
                                                   amount=serializer.validated_data["amount"])
        return Response(s.contribution_started(contribution, request), status=status.HTTP_201_CREATED)


class CancelView(APIView):
    @extend_schema(tags=["campaigns"], request=None, summary="Cancel your campaign (active, nothing raised)",
                   responses={200: s.CampaignSerializer, **error_responses(401, 403, 404, 409)})
    def post(self, request, campaign_id):
        campaign = selectors.campaign_for_viewer(viewer=request.user, campaign_id=campaign_id)
        campaign = services.campaign_cancel_by_creator(campaign=campaign, user=request.user)
        return Response(s.CampaignSerializer(campaign, context={"request": request}).data)


class AdminApproveView(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(tags=["admin"], request=None, summary="Approve a draft campaign",
                   responses={200: s.CampaignSerializer, **error_responses(401, 403, 404, 409)})
    def post(self, request, campaign_id):
        campaign = selectors.campaign_for_viewer(viewer=request.user, campaign_id=campaign_id)
        campaign = services.campaign_approve(campaign=campaign, admin=request.user)
        return Response(s.CampaignSerializer(campaign, context={"request": request}).data)


class AdminCancelView(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(tags=["admin"], request=s.ReasonSerializer,
                   summary="Cancel a campaign with a reason; everything held is refunded",
                   responses={200: s.CampaignSerializer, **error_responses(400, 401, 403, 404, 409)})
    def post(self, request, campaign_id):
        serializer = s.ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        campaign = selectors.campaign_for_viewer(viewer=request.user, campaign_id=campaign_id)
        campaign = services.campaign_cancel_by_admin(campaign=campaign, admin=request.user,
                                                     reason=serializer.validated_data["reason"])
        return Response(s.CampaignSerializer(campaign, context={"request": request}).data)
