"""URLs of the theme guide."""

from django.urls import path

from . import views

app_name = "guide"

urlpatterns = [
    path("", views.grid, name="grid"),
    path("themes/", views.structure, name="structure"),
]
