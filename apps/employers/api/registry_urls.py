from django.urls import path

from . import registry as api

urlpatterns = [
    path("employers/", api.EmployerListApi.as_view(), name="api-employers-list"),
    path("employers/<int:pk>/", api.EmployerDetailApi.as_view(), name="api-employer-detail"),
    path(
        "employers/<int:pk>/employees/",
        api.EmployeeListApi.as_view(),
        name="api-employer-employees",
    ),
    path(
        "employers/<int:pk>/approve/",
        api.EmployerApproveApi.as_view(),
        name="api-employer-approve",
    ),
    path("employers/<int:pk>/refuse/", api.EmployerRefuseApi.as_view(), name="api-employer-refuse"),
    path(
        "employers/<int:pk>/suspend/",
        api.EmployerSuspendApi.as_view(),
        name="api-employer-suspend",
    ),
    path(
        "employers/<int:pk>/reinstate/",
        api.EmployerReinstateApi.as_view(),
        name="api-employer-reinstate",
    ),
]
