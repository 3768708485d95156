from django.urls import path

from . import admin_views

urlpatterns = [
    path("", admin_views.calendar_view, name="planning_calendar"),
    path("move/", admin_views.move, name="planning_calendar_move"),
    path("feed-token/", admin_views.new_feed_token, name="planning_feed_token"),
]
