"""URLs of recordings, included into the fieldwork URLs (namespace ``fieldwork``).

- ``recording_upload`` (POST): add a recording to an interview.
- ``recording`` (GET): the player page (restricted, audited once per opening).
- ``recording_audio`` (GET, Range): the audio stream the player fetches.
- ``recording_delete`` (GET asks, POST deletes): the process leader deletes one now.
"""

from django.urls import path

from . import views

urlpatterns = [
    path(
        "interviews/<int:interview_pk>/recordings/",
        views.upload,
        name="recording_upload",
    ),
    path("recordings/<int:pk>/", views.player, name="recording"),
    path("recordings/<int:pk>/audio/", views.audio, name="recording_audio"),
    path("recordings/<int:pk>/delete/", views.delete, name="recording_delete"),
]
