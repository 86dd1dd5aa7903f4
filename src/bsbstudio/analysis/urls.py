"""URLs of analysis."""

from django.urls import path

from . import agreement_views, search_views, views

app_name = "analysis"

urlpatterns = [
    path("matrix/", views.matrix, name="matrix"),
    path("matrix/<int:code_pk>/<str:key>/", views.cell, name="cell"),
    path("text/<int:pk>/", views.text, name="text"),
    path("segment/<int:pk>/delete/", views.uncode, name="uncode"),
    path("search/", search_views.search, name="search"),
    path("agreement/", agreement_views.index, name="agreement"),
    path("agreement/<int:pk>/", agreement_views.detail, name="agreement_detail"),
]
