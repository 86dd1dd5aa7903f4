"""URLs of analysis."""

from django.urls import path

from . import agreement_views, autocode_views, condensation_views, memos, search_views, views

app_name = "analysis"

urlpatterns = [
    path("matrix/", views.matrix, name="matrix"),
    path("matrix/<int:code_pk>/<str:key>/", views.cell, name="cell"),
    path(
        "matrix/<int:code_pk>/<int:group_pk>/nothing-said/",
        views.nothing_said,
        name="nothing_said",
    ),
    path("text/<int:pk>/", views.text, name="text"),
    path("text/<int:pk>/undo/", views.undo, name="undo"),
    path("text/<int:pk>/redo/", views.redo, name="redo"),
    path("segment/<int:pk>/delete/", views.uncode, name="uncode"),
    path("segment/<int:pk>/edit/", views.recode, name="recode"),
    path("code/<int:pk>/", views.code_edit, name="code_edit"),
    path("code/<int:pk>/delete/", views.code_delete, name="code_delete"),
    path("memos/", memos.memo_list, name="memos"),
    path("search/", search_views.search, name="search"),
    path("autocode/", autocode_views.rule, name="autocode"),
    path("suggestions/", autocode_views.suggestions, name="suggestions"),
    path("agreement/", agreement_views.index, name="agreement"),
    path("agreement/<int:pk>/", agreement_views.detail, name="agreement_detail"),
    path("condensation/", condensation_views.overview, name="condensation"),
    path("condensation/1/", condensation_views.impression, name="condensation_impression"),
    path("condensation/2/", condensation_views.units, name="condensation_units"),
    path("condensation/3/", condensation_views.groups, name="condensation_groups"),
    path("condensation/4/", condensation_views.synthesis, name="condensation_synthesis"),
    path("display/", condensation_views.display_page, name="display"),
]
