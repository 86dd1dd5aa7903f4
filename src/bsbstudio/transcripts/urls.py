"""URLs of transcripts."""

from django.urls import path

from . import editor_views, views

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
    path("recording/<int:recording_pk>/editor/", editor_views.editor_page, name="editor"),
    path("recording/<int:recording_pk>/editor/finish/", editor_views.finish, name="editor_finish"),
    path(
        "recording/<int:recording_pk>/editor/speech/",
        editor_views.speech_start,
        name="editor_speech",
    ),
    path(
        "recording/<int:recording_pk>/editor/speech/<int:run_pk>/",
        editor_views.speech_status,
        name="editor_speech_status",
    ),
    path(
        "recording/<int:recording_pk>/editor/speech/<int:run_pk>/cancel/",
        editor_views.speech_cancel,
        name="editor_speech_cancel",
    ),
]
