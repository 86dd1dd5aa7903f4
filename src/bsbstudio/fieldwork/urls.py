"""URLs of fieldwork."""

from django.urls import path

from . import views
from .recordings import urls as recording_urls

app_name = "fieldwork"

urlpatterns = [
    path("informants/", views.informants, name="informants"),
    path("interviews/", views.interviews, name="interviews"),
    path("interviews/<int:pk>/", views.interview, name="interview"),
    *recording_urls.urlpatterns,
]
