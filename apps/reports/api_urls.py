from django.urls import path

from . import api

urlpatterns = [
    path("reports/", api.FiguresApi.as_view(), name="api-reports"),
]
