"""URLs of transcripts."""

from django.urls import path

from . import views

app_name = "transcripts"

urlpatterns = [
    path("", views.transcript_list, name="list"),
    path("interview/<int:interview_pk>/upload/", views.upload, name="upload"),
    path("imports/<int:pk>/", views.import_status, name="import_status"),
    path("<int:pk>/raw/", views.raw, name="raw"),
    path("<int:pk>/speakers/", views.speaker_mapping, name="speakers"),
    path("text/<int:pk>/", views.text, name="text"),
    path("text/<int:pk>/approve/", views.approve, name="approve"),
    path("text/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]
