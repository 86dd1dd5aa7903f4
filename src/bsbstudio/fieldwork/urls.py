"""URLs of fieldwork."""

from django.urls import path

from . import views
from .recordings import urls as recording_urls

app_name = "fieldwork"

urlpatterns = [
    path("informants/", views.informants, name="informants"),
    path("informants/suggest-code/", views.informant_code, name="informant_code"),
    path("informants/<int:pk>/", views.informant, name="informant"),
    path("sampling/", views.sampling_page, name="sampling"),
    path("sampling/plan/", views.sampling_plan_page, name="sampling_plan"),
    path("sampling/<int:pk>/delete/", views.sampling_delete, name="sampling_delete"),
    path("interviews/", views.interviews, name="interviews"),
    path("interviews/<int:pk>/", views.interview, name="interview"),
    path("interviews/<int:pk>/edit/", views.interview_edit, name="interview_edit"),
    path("interviews/<int:pk>/consent/<int:informant_pk>/", views.consent, name="consent"),
    *recording_urls.urlpatterns,
]
