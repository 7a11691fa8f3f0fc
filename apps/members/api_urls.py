from django.urls import path

from . import api

urlpatterns = [
    path("unions/", api.UnionListApi.as_view(), name="api-unions-list"),
    path("unions/<int:pk>/", api.UnionDetailApi.as_view(), name="api-union-detail"),
    path("members/me/", api.MemberMeApi.as_view(), name="api-member-me"),
    path("children/", api.ChildListApi.as_view(), name="api-children-list"),
    path("children/<int:pk>/", api.ChildDetailApi.as_view(), name="api-child-detail"),
]
