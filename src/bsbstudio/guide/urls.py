"""URLs of the theme guide."""

from django.urls import path

from . import views

app_name = "guide"

urlpatterns = [
    path("", views.grid, name="grid"),
    path("themes/", views.structure, name="structure"),
    path("themes/row/<slug:prefix>/", views.structure_row, name="structure_row"),
    path("themes/add/", views.theme_add, name="theme_add"),
    path("themes/<int:pk>/rename/", views.theme_rename, name="theme_rename"),
    path("themes/<int:pk>/move/", views.theme_move, name="theme_move"),
    path("themes/<int:pk>/merge/", views.theme_merge, name="theme_merge"),
    path("themes/<int:pk>/delete/", views.theme_delete, name="theme_delete"),
    path("bank/", views.bank, name="bank"),
    path("import/", views.table_import, name="table_import"),
    path("goals/", views.theme_goals, name="theme_goals"),
    path("versions/", views.versions, name="versions"),
    path("versions/<int:number>/", views.version, name="version"),
    path("download/<slug:fmt>/", views.download, name="download"),
    path(
        "versions/<int:number>/download/<slug:fmt>/",
        views.version_download,
        name="version_download",
    ),
]
