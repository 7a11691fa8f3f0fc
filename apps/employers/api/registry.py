"""API for employers: scoped lists, the employee roster and union staff's approval actions."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.models import Role
from apps.accounts.permissions import IsUnionStaff, role_permission

from ..models import Employer, Employment
from ..selectors import registry as selectors
from ..services import registry as services

AnySignedInRole = role_permission(*Role.values)
EmployerAdminOrUnionStaff = role_permission(Role.EMPLOYER_ADMIN, Role.UNION_STAFF)


class EmployerOutput(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    union_name = serializers.CharField(
        source="union.name", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Employer
        fields = ["id", "name", "credit_code", "kind", "kind_label", "address", "area"]
        fields += ["area_name", "union", "union_name", "contact_name", "contact_phone"]
        fields += ["status", "status_label", "created_at"]


class EmployerListApi(generics.ListAPIView):
    """Employers in the caller's scope: all for union staff, their own for an employer admin,
    those they work at for a parent."""

    permission_classes = [AnySignedInRole]
    serializer_class = EmployerOutput

    def get_queryset(self):
        return selectors.employer_list(user=self.request.user)


class EmployerDetailApi(generics.RetrieveAPIView):
    permission_classes = [AnySignedInRole]
    serializer_class = EmployerOutput

    def get_queryset(self):
        return selectors.employer_list(user=self.request.user)


class EmployeeOutput(serializers.ModelSerializer):
    """An employee as the employer sees them: masked numbers, and nothing about children."""

    member = serializers.IntegerField(source="member_id", read_only=True)
    full_name = serializers.CharField(source="member.full_name", read_only=True)
    id_number_masked = serializers.CharField(source="member.id_number_masked", read_only=True)
    mobile_masked = serializers.CharField(source="member.mobile_masked", read_only=True)
    membership = serializers.CharField(source="member.membership", read_only=True)
    membership_label = serializers.CharField(source="member.get_membership_display", read_only=True)
    # Plain text rather than an enum: "status" is already the employer's enum in the schema.
    status = serializers.CharField(
        read_only=True, help_text="pending, active, refused or left (Employment.Status)"
    )
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Employment
        fields = ["id", "member", "full_name", "id_number_masked", "mobile_masked"]
        fields += ["membership", "membership_label", "status", "status_label", "verified_by"]
        fields += ["department", "start_date", "end_date"]


class EmployeeListApi(generics.ListAPIView):
    """The employee roster of an employer the caller may act for (suspended: not found)."""

    permission_classes = [EmployerAdminOrUnionStaff]
    serializer_class = EmployeeOutput
    queryset = Employment.objects.none()  # for the schema; get_queryset scopes the real one

    def get_queryset(self):
        employer = get_object_or_404(
            selectors.employer_actable_list(user=self.request.user), pk=self.kwargs["pk"]
        )
        return selectors.employee_list(user=self.request.user, employer=employer)


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(
        max_length=services.REASON_MAX_LENGTH, required=False, allow_blank=True
    )


class RequiredReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=services.REASON_MAX_LENGTH)


class _EmployerActionApi(APIView):
    permission_classes = [IsUnionStaff]
    input_serializer = ReasonInput
    service = staticmethod(services.employer_approve)

    def post(self, request, pk: int):
        employer = get_object_or_404(selectors.employer_list(user=request.user), pk=pk)
        serializer = self.input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reason = serializer.validated_data.get("reason", "")
        self.service(employer=employer, actor=request.user, reason=reason)
        employer = selectors.employer_list(user=request.user).get(pk=pk)
        return Response(EmployerOutput(employer).data)


class EmployerApproveApi(_EmployerActionApi):
    """pending → approved."""

    permission_classes = [IsUnionStaff]
    service = staticmethod(services.employer_approve)

    @extend_schema(request=ReasonInput, responses=EmployerOutput)
    def post(self, request, pk: int):
        return super().post(request, pk)


class EmployerRefuseApi(_EmployerActionApi):
    """pending → refused; a reason is required."""

    permission_classes = [IsUnionStaff]
    input_serializer = RequiredReasonInput
    service = staticmethod(services.employer_refuse)

    @extend_schema(request=RequiredReasonInput, responses=EmployerOutput)
    def post(self, request, pk: int):
        return super().post(request, pk)


class EmployerSuspendApi(_EmployerActionApi):
    """approved → suspended; a reason is required. Its admins can no longer act."""

    permission_classes = [IsUnionStaff]
    input_serializer = RequiredReasonInput
    service = staticmethod(services.employer_suspend)

    @extend_schema(request=RequiredReasonInput, responses=EmployerOutput)
    def post(self, request, pk: int):
        return super().post(request, pk)


class EmployerReinstateApi(_EmployerActionApi):
    """suspended → approved."""

    permission_classes = [IsUnionStaff]
    service = staticmethod(services.employer_reinstate)

    @extend_schema(request=ReasonInput, responses=EmployerOutput)
    def post(self, request, pk: int):
        return super().post(request, pk)
