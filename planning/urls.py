"""The public side of planning: each person's iCal feed (outside /admin/, since
calendar apps cannot log in; the secret token in the URL is the credential)."""

from django.urls import path

from . import feeds

urlpatterns = [
    path("ical/<str:token>.ics", feeds.ical_feed, name="planning_feed"),
]
