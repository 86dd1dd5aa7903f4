"""URLs of the list of evaluations, and of one evaluation's dashboard and plan."""

from django.urls import path

from bsbstudio.accounts import audit_views
from bsbstudio.web.dashboard import dashboard

from . import round_views, views

app_name = "evaluations"

urlpatterns = [
    path("", views.evaluation_list, name="list"),
    path("new/", views.evaluation_create, name="create"),
    path("<slug:slug>/", dashboard, name="dashboard"),
    path("<slug:slug>/plan/", views.plan, name="plan"),
    path("<slug:slug>/plan/row/<slug:prefix>/", views.plan_row, name="plan_row"),
    path("<slug:slug>/team/", views.team, name="team"),
    path("<slug:slug>/team/declaration/", views.declaration, name="declaration"),
    path("<slug:slug>/rounds/", round_views.round_comparison, name="rounds"),
    path("<slug:slug>/rounds/next/", round_views.next_round, name="next_round"),
    path("<slug:slug>/audit/", audit_views.audit_log, name="audit"),
    path("<slug:slug>/audit/export.csv", audit_views.audit_csv, name="audit_csv"),
]
