"""URLs of the exchange page (REFI-QDA export; the import pages add theirs below)."""

from django.urls import path

from . import import_views, views

app_name = "exchange"

urlpatterns = [
    path("", views.page, name="page"),
    path("qdpx/", views.qdpx, name="qdpx"),
    path("qdc/", views.qdc, name="qdc"),
    path("review/", views.review, name="review"),
    # Import (issue 14, the import part): its pages are added here.
    path("import/", import_views.start, name="import"),
    path("import/<str:token>/", import_views.preview_page, name="import_preview"),
    path("import/<str:token>/cancel/", import_views.cancel, name="import_cancel"),
]
