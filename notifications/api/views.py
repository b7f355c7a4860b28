from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from cleanit.api.schema import error_responses
from cleanit.response_cache import CachedGetMixin
from notifications import selectors, services

from .serializers import CountSerializer, NotificationSerializer, UpdatedSerializer


class NotificationListView(CachedGetMixin, ListAPIView):
    response_cache_scope = "private"  # the caller's own: keyed by the caller
    serializer_class = NotificationSerializer
    filter_backends: list = []

    def get_queryset(self):
        unread = self.request.query_params.get("unread", "").lower() in ("true", "1", "yes")
        return selectors.notifications_for(user=self.request.user, unread_only=unread)

    @extend_schema(tags=["notifications"], summary="Your notifications, newest first",
                   parameters=[OpenApiParameter("unread", OpenApiTypes.BOOL, description="Only unread ones")],
                   responses={200: NotificationSerializer(many=True), **error_responses(401, 404)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class UnreadCountView(CachedGetMixin, APIView):
    response_cache_scope = "private"
    @extend_schema(tags=["notifications"], summary="Unread count for the bell",
                   responses={200: CountSerializer, **error_responses(401)})
    def get(self, request):
        return Response({"count": selectors.unread_count(user=request.user)})


class MarkReadView(APIView):
    @extend_schema(tags=["notifications"], request=None, summary="Mark one notification read",
                   responses={200: NotificationSerializer, **error_responses(401, 404)})
    def post(self, request, notification_id):
        notification = services.notification_mark_read(
            user=request.user, notification_id=selectors.parse_notification_id(notification_id)
        )
        return Response(NotificationSerializer(notification).data)


class MarkAllReadView(APIView):
    @extend_schema(tags=["notifications"], request=None, summary="Mark all your notifications read",
                   responses={200: UpdatedSerializer, **error_responses(401)})
    def post(self, request):
        return Response({"updated": services.notification_mark_all_read(user=request.user)})
