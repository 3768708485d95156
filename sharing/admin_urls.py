from django.urls import path

from . import admin_views

app_name = "sharing_admin"

urlpatterns = [
    path("<int:page_id>/", admin_views.share_links, name="links"),
    path(
        "<int:page_id>/revoke/<int:link_id>/",
        admin_views.revoke,
        name="revoke",
    ),
]
