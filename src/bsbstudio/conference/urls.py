"""URLs of the dialogue conference."""

from django.urls import path

from . import views

app_name = "conference"

urlpatterns = [path("", views.conferences, name="list")]
