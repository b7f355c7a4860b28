"""Service packages on the API (`/api/v1/services/`): anyone reads one; its cleaner creates, edits and deletes
their own (another cleaner's is 404, as if it did not exist). Thin: marketplace.services holds the rules."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from cleanit.api.parsers import JSONParser
from cleanit.api.schema import error_responses
from marketplace import selectors, services
from marketplace.api.permissions import IsCleaner

from . import serializers as s


def _valid(request, *, partial: bool = False) -> dict:
    serializer = s.ServiceWriteSerializer(data=request.data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class ServiceListCreateView(ListAPIView):
    serializer_class = s.ServiceSerializer
    filter_backends: list = []
    parser_classes = [JSONParser]
    permission_classes = [IsCleaner]

    def get_queryset(self):
        return selectors.packages_of(profile=services.own_profile(self.request.user))

    @extend_schema(tags=["services"], summary="Your services, the inactive ones too (active first, then cheapest)",
                   responses={200: s.ServiceSerializer(many=True), **error_responses(401, 403, 404)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(tags=["services"], request=s.ServiceWriteSerializer,
                   summary="Add a service (cleaners with a profile); your first active one lists you in searches",
                   responses={201: s.ServiceSerializer, **error_responses(400, 401, 403, 404, 415)})
    def post(self, request):
        package = services.package_create(user=request.user, **_valid(request))
        return Response(s.ServiceSerializer(package).data, status=status.HTTP_201_CREATED)


class ServiceDetailView(APIView):
    parser_classes = [JSONParser]

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "GET" else [IsCleaner()]

    @extend_schema(tags=["services"], summary="One service (an inactive one says so: is_active false)",
                   responses={200: s.ServiceSerializer, **error_responses(404)})
    def get(self, request, service_id):
        return Response(s.ServiceSerializer(selectors.service_get(service_id=service_id)).data)

    @extend_schema(tags=["services"], request=s.ServiceWriteSerializer,
                   summary="Replace your service's fields (description and is_active may be left out)",
                   responses={200: s.ServiceSerializer, **error_responses(400, 401, 403, 404, 415)})
    def put(self, request, service_id):
        package = services.package_update(user=request.user, package_id=service_id, **_valid(request))
        return Response(s.ServiceSerializer(package).data)

    @extend_schema(tags=["services"], request=s.ServiceWriteSerializer(partial=True),
                   summary="Change some fields of your service",
                   responses={200: s.ServiceSerializer, **error_responses(400, 401, 403, 404, 415)})
    def patch(self, request, service_id):
        package = services.package_update(user=request.user, package_id=service_id, **_valid(request, partial=True))
        return Response(s.ServiceSerializer(package).data)

    @extend_schema(tags=["services"], request=None,
                   summary="Delete your service (204); one with bookings is deactivated instead (200, is_active false)",
                   responses={200: s.ServiceSerializer, 204: OpenApiResponse(description="Deleted"),
                              **error_responses(401, 403, 404)})
    def delete(self, request, service_id):
        outcome, package = services.package_delete(user=request.user, package_id=service_id)
        if outcome == services.DELETED:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(s.ServiceSerializer(package).data)
