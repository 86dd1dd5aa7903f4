"""URLs of transcripts."""

from django.urls import path

from . import views

app_name = "transcripts"

urlpatterns = [
    path("", views.transcript_list, name="list"),
    path("interview/<int:interview_pk>/upload/", views.upload, name="upload"),
    path("<int:pk>/raw/", views.raw, name="raw"),
]
