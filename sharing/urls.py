from django.urls import path

from . import views

app_name = "sharing"

urlpatterns = [
    path("<str:token>/", views.shared_draft, name="draft"),
    path("<str:token>/comment/", views.comment, name="comment"),
]
