"""URLs of accounts: invitations and the accounts page (``accounts:``), and the password pages.

The password pages keep Django's own URL names (``password_change``, ``password_reset_confirm``
...), which Django's views redirect to, so they are not in the ``accounts`` namespace.
"""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

account_patterns = [
    path("users/", views.users, name="users"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
]

urlpatterns = [
    path("", include((account_patterns, "accounts"))),
    path("password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
