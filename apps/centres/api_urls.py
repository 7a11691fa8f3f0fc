from django.urls import path

from . import api

urlpatterns = [
    path("centres/", api.CentreListApi.as_view(), name="api-centre-list"),
    path("centres/out-of-ratio/", api.OutOfRatioListApi.as_view(), name="api-centre-out-of-ratio"),
    path("centres/<int:pk>/", api.CentreDetailApi.as_view(), name="api-centre-detail"),
    path(
        "centres/<int:pk>/classes/",
        api.CentreClassListApi.as_view(),
        name="api-centre-class-list",
    ),
    path("centres/<int:pk>/approve/", api.CentreApproveApi.as_view(), name="api-centre-approve"),
    path("centres/<int:pk>/refuse/", api.CentreRefuseApi.as_view(), name="api-centre-refuse"),
    path("centres/<int:pk>/suspend/", api.CentreSuspendApi.as_view(), name="api-centre-suspend"),
    path(
        "centres/<int:pk>/reinstate/",
        api.CentreReinstateApi.as_view(),
        name="api-centre-reinstate",
    ),
    path(
        "centre-classes/<int:pk>/",
        api.CentreClassDetailApi.as_view(),
        name="api-centre-class-detail",
    ),
]
