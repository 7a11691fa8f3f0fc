"""Parent portal pages of this app, mounted at /parent/ (programmes live at /parent/programmes/)."""

from django.urls import path

from .views import portal, signup

app_name = "parent_portal"

urlpatterns = [
    path("", portal.parent_home, name="home"),
    path("signup/", signup.parent_signup, name="signup"),
    path("children/add/", portal.child_add, name="child-add"),
    path("employments/add/", portal.employment_add, name="employment-add"),
]
