"""URLs of analysis."""

from django.urls import path

from . import views

app_name = "analysis"

urlpatterns = [
    path("matrix/", views.matrix, name="matrix"),
    path("matrix/<int:code_pk>/<int:group_pk>/", views.cell, name="cell"),
    path("text/<int:pk>/", views.text, name="text"),
    path("segment/<int:pk>/delete/", views.uncode, name="uncode"),
]
