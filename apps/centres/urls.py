"""Centre portal, mounted at /centre/."""

from django.urls import path

from . import views

app_name = "centre_portal"

urlpatterns = [
    path("", views.centre_home, name="home"),
    path("signup/", views.centre_signup_view, name="signup"),
]
