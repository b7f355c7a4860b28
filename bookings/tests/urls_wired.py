"""The site's URLs with the conversation routes in the bookings namespace, for the page tests until
bookings.urls includes bookings.urls_conversation (then this is the site's URLs as they are)."""

from django.urls import include, path

from bookings import urls as bookings_urls
from bookings import urls_conversation
from cleanit import urls as site

_names = {getattr(pattern, "name", None) for pattern in bookings_urls.urlpatterns}
_bookings = [*bookings_urls.urlpatterns,
             *(pattern for pattern in urls_conversation.urlpatterns if pattern.name not in _names)]

urlpatterns = [pattern for pattern in site.urlpatterns if str(getattr(pattern, "pattern", "")) != "bookings/"]
urlpatterns.append(path("bookings/", include((_bookings, "bookings"), namespace="bookings")))
handler404 = site.handler404
