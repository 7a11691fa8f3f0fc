"""API for a parent's copy of their family's data (PIPL Art. 45)."""

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.permissions import IsParent

from ..services import privacy


class FamilyExportApi(APIView):
    """Everything the portal holds about the signed-in parent and their children: the member
    record, children, guardianships, consents, employments, applications, enrolments, attendance
    and notices. The parent's and their children's ID numbers are given in full (their own
    data); nobody else's. Each download is audited."""

    permission_classes = [IsParent]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        response = Response(privacy.family_export(user=request.user))
        response["Cache-Control"] = "private, no-store"
        return response


urlpatterns = [
    path("family/export/", FamilyExportApi.as_view(), name="api-family-export"),
]
