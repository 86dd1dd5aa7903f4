"""URLs of de-identification."""

from django.urls import path

from . import views

app_name = "deid"

urlpatterns = [
    path("names/", views.names, name="names"),
    path("transcript/<int:pk>/", views.review, name="review"),
]
