"""URLs of follow-up."""

from django.urls import path

from . import views

app_name = "followup"

urlpatterns = [
    path("", views.measures, name="list"),
    path("overview/", views.overview, name="overview"),
    path("export.xlsx", views.export, name="export"),
    path("<int:pk>/", views.measure_detail, name="detail"),
    path("<int:pk>/edit/", views.measure_edit, name="edit"),
    path("<int:pk>/delete/", views.measure_delete, name="delete"),
    path("from-output/<int:output_pk>/", views.measure_from_output, name="from_output"),
    path(
        "from-recommendation/<int:recommendation_pk>/",
        views.measure_from_recommendation,
        name="from_recommendation",
    ),
]
