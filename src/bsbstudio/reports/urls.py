"""URLs of reports."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("site/<int:site_pk>/process/", views.create, name="create"),
    path("<int:pk>/", views.edit, name="edit"),
    path("<int:pk>/docx/", views.download, name="download"),
    path("<int:pk>/review/", views.review_leaks, name="review_leaks"),
    path("<int:pk>/approve/", views.approve, name="approve"),
]
