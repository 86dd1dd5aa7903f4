"""URLs of reports."""

from django.urls import path

from . import analysis_export_views, cross_site_views, final_views, partial_views, views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("site/<int:site_pk>/process/", views.create, name="create"),
    path("<int:pk>/", views.edit, name="edit"),
    path("<int:pk>/docx/", views.download, name="download"),
    path("<int:pk>/pdf/", views.download, {"fmt": "pdf"}, name="download_pdf"),
    path("site/<int:site_pk>/partial/", partial_views.start, name="partial_start"),
    path("partial/<int:pk>/", partial_views.edit, name="partial"),
    path("final/", final_views.overview, name="final"),
    path("final/start/", final_views.start, name="final_start"),
    path("final/front/", final_views.front, name="final_front"),
    path("final/chapter/<int:pk>/", final_views.chapter, name="final_chapter"),
    path("<int:pk>/review/", views.review_leaks, name="review_leaks"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("cross-site/", cross_site_views.overview, name="cross_site"),
    path("cross-site/xlsx/", cross_site_views.cross_site_xlsx, name="cross_site_xlsx"),
    path("cross-site/areas/", cross_site_views.areas, name="cross_site_areas"),
    path(
        "cross-site/ratings/<int:site_pk>/",
        cross_site_views.ratings,
        name="cross_site_ratings",
    ),
    path("cross-site/facts/", cross_site_views.facts, name="cross_site_facts"),
    path("exports/matrix/", cross_site_views.export_matrix, name="export_matrix"),
    path("exports/quotes/", cross_site_views.export_quotes, name="export_quotes"),
    path("exports/review/", cross_site_views.export_review, name="export_review"),
    path("exports/matrix-view/xlsx/", analysis_export_views.matrix_xlsx, name="matrix_view_xlsx"),
    path("exports/matrix-view/docx/", analysis_export_views.matrix_docx, name="matrix_view_docx"),
    path("exports/display/docx/", analysis_export_views.display_docx, name="display_docx"),
    path("exports/display/pdf/", analysis_export_views.display_pdf, name="display_pdf"),
]
