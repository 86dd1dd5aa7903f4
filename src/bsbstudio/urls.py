"""Top-level URL map: log-in, two-factor login, language, admin, each step of the circle under /e/<slug>/."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from bsbstudio.accounts import two_factor_views
from bsbstudio.conference.feedback_urls import public_urlpatterns as feedback_urls
from bsbstudio.web import help_views

evaluation_urls = [
    path("guide/", include("bsbstudio.guide.urls")),
    path("fieldwork/", include("bsbstudio.fieldwork.urls")),
    path("transcripts/", include("bsbstudio.transcripts.urls")),
    path("deid/", include("bsbstudio.deid.urls")),
    path("analysis/", include("bsbstudio.analysis.urls")),
    path("reports/", include("bsbstudio.reports.urls")),
    path("conference/", include("bsbstudio.conference.urls")),
    path("followup/", include("bsbstudio.followup.urls")),
    path("exchange/", include("bsbstudio.exchange.urls")),
    path("jobs/", include("bsbstudio.jobs.urls")),
]

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="evaluations:list", permanent=False)),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/two-factor/", two_factor_views.verify, name="two_factor_verify"),
    path("accounts/two-factor/set-up/", two_factor_views.setup, name="two_factor_setup"),
    path("accounts/", include("bsbstudio.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("help/", help_views.help_page, name="help"),
    path("help/texts/<slug:key>.docx", help_views.help_starter_docx, name="help_starter_docx"),
    path("e/", include("bsbstudio.evaluations.urls")),
    path("e/<slug:slug>/", include(evaluation_urls)),
    # The conference evaluation form: public, no login, outside every evaluation's addresses.
    path("f/", include((feedback_urls, "feedback"))),
]

handler400 = "bsbstudio.web.views.bad_request"
handler403 = "bsbstudio.web.views.permission_denied"
handler404 = "bsbstudio.web.views.page_not_found"
handler500 = "bsbstudio.web.views.server_error"
