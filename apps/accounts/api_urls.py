from django.urls import path

from . import api

urlpatterns = [
    path("auth/token/", api.TokenObtainApi.as_view(), name="api-token"),
    path("auth/me/", api.MeApi.as_view(), name="api-me"),
]
