"""URLs of the evaluation form: the team's pages under a conference, and the public form."""

from django.urls import path

from . import feedback_views as views

# Added to the conference's URLs, under /e/<slug>/conference/ (the "conference" namespace).
urlpatterns = [
    path("<int:pk>/feedback/", views.links, name="feedback"),
    path("<int:pk>/feedback/open/", views.open_link, name="feedback_open"),
    path("<int:pk>/feedback/<int:link_pk>/change/", views.change_link, name="feedback_change"),
    path("<int:pk>/feedback/<int:link_pk>/close/", views.close_link, name="feedback_close"),
    path("<int:pk>/feedback/<int:link_pk>/show/", views.show_link, name="feedback_show"),
    path("<int:pk>/feedback/<int:link_pk>/qr.png", views.link_png, name="feedback_png"),
    path("<int:pk>/feedback/results/", views.results, name="feedback_results"),
    path("<int:pk>/feedback/results.xlsx", views.results_xlsx, name="feedback_xlsx"),
]

# Under /f/ (the "feedback" namespace), outside every evaluation's address space: no login.
public_urlpatterns = [
    path("<str:token>/", views.answer, name="answer"),
    path("<str:token>/takk/", views.thanks, name="thanks"),
]
