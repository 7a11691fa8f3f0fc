"""API for enrolments: the family's, the centre's (all for union staff), and ending one."""

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.models import Role
from apps.accounts.permissions import role_permission
from apps.core.idempotency import idempotent_response

from ..selectors.applications import enrolment_list
from ..services.enrolments import enrolment_end
from .applications import IDEMPOTENCY_HEADER
from .serializers import AdmissionEnrolmentOutput, EnrolmentEndInput

EnrolmentReaders = role_permission(Role.PARENT, Role.CENTRE_ADMIN, Role.UNION_STAFF)
EnrolmentEnders = role_permission(Role.PARENT, Role.CENTRE_ADMIN)


class EnrolmentListApi(generics.ListAPIView):
    permission_classes = [EnrolmentReaders]
    serializer_class = AdmissionEnrolmentOutput
    filter_backends: list = []

    def get_queryset(self):
        return enrolment_list(user=self.request.user)


class EnrolmentDetailApi(APIView):
    permission_classes = [EnrolmentReaders]

    @extend_schema(responses=AdmissionEnrolmentOutput)
    def get(self, request, pk: int):
        enrolment = get_object_or_404(enrolment_list(user=request.user), pk=pk)
        return Response(AdmissionEnrolmentOutput(enrolment).data)


class EnrolmentEndApi(APIView):
    """The centre admin or the parent ends an enrolment on an end date; the place goes to the
    first in line at once."""

    permission_classes = [EnrolmentEnders]

    @extend_schema(
        request=EnrolmentEndInput,
        responses=AdmissionEnrolmentOutput,
        parameters=[IDEMPOTENCY_HEADER],
    )
    def post(self, request, pk: int):
        return idempotent_response(request, lambda: self._end(request, pk))

    def _end(self, request, pk: int) -> Response:
        enrolment = get_object_or_404(enrolment_list(user=request.user), pk=pk)
        serializer = EnrolmentEndInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        enrolment_end(enrolment=enrolment, actor=request.user, **serializer.validated_data)
        return Response(AdmissionEnrolmentOutput(enrolment_list(user=request.user).get(pk=pk)).data)


urlpatterns = [
    path("enrolments/", EnrolmentListApi.as_view(), name="api-enrolment-list"),
    path("enrolments/<int:pk>/", EnrolmentDetailApi.as_view(), name="api-enrolment-detail"),
    path("enrolments/<int:pk>/end/", EnrolmentEndApi.as_view(), name="api-enrolment-end"),
]
