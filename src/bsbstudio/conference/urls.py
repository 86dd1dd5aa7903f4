"""URLs of the dialogue conference."""

from django.urls import path

from . import export_views, feedback_urls, views

app_name = "conference"

urlpatterns = [
    path("", views.conferences, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/agenda/", views.agenda_add, name="agenda_add"),
    path("<int:pk>/agenda/<int:item_pk>/", views.agenda_edit, name="agenda_edit"),
    path("<int:pk>/agenda/<int:item_pk>/move/", views.agenda_move, name="agenda_move"),
    path("<int:pk>/agenda/<int:item_pk>/delete/", views.agenda_delete, name="agenda_delete"),
    path("<int:pk>/participants/", views.participants, name="participants"),
    path("<int:pk>/notes/", views.notes, name="notes"),
    path("<int:pk>/groups/", views.group_edit, name="group_add"),
    path("<int:pk>/groups/<int:group_pk>/", views.group_edit, name="group_edit"),
    path("<int:pk>/groups/<int:group_pk>/delete/", views.group_delete, name="group_delete"),
    path("<int:pk>/groups/<int:group_pk>/outputs/", views.output_edit, name="output_add"),
    path(
        "<int:pk>/groups/<int:group_pk>/outputs/<int:output_pk>/",
        views.output_edit,
        name="output_edit",
    ),
    path(
        "<int:pk>/groups/<int:group_pk>/outputs/<int:output_pk>/delete/",
        views.output_delete,
        name="output_delete",
    ),
    path("<int:pk>/validation/", views.validation_add, name="validation_add"),
    path(
        "<int:pk>/validation/<int:validation_pk>/delete/",
        views.validation_delete,
        name="validation_delete",
    ),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/minutes.<str:fmt>", views.minutes, name="minutes"),
    path("<int:pk>/minutes/review/", views.review, name="review"),
]
urlpatterns += export_views.urlpatterns
urlpatterns += feedback_urls.urlpatterns
# Slides and group sheets (export_views), and the evaluation form's team pages (feedback_urls).
urlpatterns += export_views.urlpatterns + feedback_urls.urlpatterns
