"""API for rosters: upload an import and follow its progress, read the roster (masked), and
confirm or refuse employees awaiting verification. Sign-up endpoints live in api/signup.py."""

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, parsers, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.models import Role
from apps.accounts.permissions import role_permission
from apps.core.pii import mask

from ..models import Employment, RosterEntry, RosterImport
from ..selectors import registry as registry_selectors
from ..selectors import roster as selectors
from ..services import registry as registry_services
from ..services import roster as services
from .registry import EmployeeOutput, RequiredReasonInput
from .signup import urlpatterns as signup_urls

EmployerAdminOrUnionStaff = role_permission(Role.EMPLOYER_ADMIN, Role.UNION_STAFF)


class RosterErrorOutput(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True, help_text="Spreadsheet row (1 = header)")
    column = serializers.CharField()
    reason = serializers.CharField()


class RosterImportOutput(serializers.ModelSerializer):
    employer_name = serializers.CharField(source="employer.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    errors = RosterErrorOutput(many=True, read_only=True)

    class Meta:
        model = RosterImport
        fields = ["id", "employer", "employer_name", "original_name", "mode", "status"]
        fields += ["status_label", "rows_total", "rows_done", "created_count", "updated_count"]
        fields += ["left_count", "errors", "created_at", "finished_at"]


class RosterImportDetailApi(generics.RetrieveAPIView):
    """An import's progress (rows_done of rows_total), outcome and errors; poll while running."""

    permission_classes = [EmployerAdminOrUnionStaff]
    serializer_class = RosterImportOutput

    def get_queryset(self):
        return selectors.roster_import_list(user=self.request.user)


class RosterImportInput(serializers.Serializer):
    file = serializers.FileField(help_text=".xlsx or .csv (UTF-8, UTF-8 with BOM, GBK), ≤ 5 MB")
    mode = serializers.ChoiceField(choices=RosterImport.Mode.choices, default="full")


class RosterImportCreateApi(APIView):
    """Upload a roster. A small file is checked at once (201, done or failed with its errors);
    a large one is queued (202): poll api-roster-import-detail."""

    permission_classes = [EmployerAdminOrUnionStaff]
    parser_classes = [parsers.MultiPartParser, parsers.FormParser]

    @extend_schema(
        request={"multipart/form-data": RosterImportInput},
        responses={201: RosterImportOutput, 202: RosterImportOutput},
    )
    def post(self, request, pk: int):
        employer = get_object_or_404(
            registry_selectors.employer_actable_list(user=request.user), pk=pk
        )
        serializer = RosterImportInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        roster_import = services.roster_import_submit(
            employer=employer, upload=data["file"], mode=data["mode"], actor=request.user
        )
        finished = roster_import.status in (RosterImport.Status.DONE, RosterImport.Status.FAILED)
        return Response(
            RosterImportOutput(roster_import).data,
            status=status.HTTP_201_CREATED if finished else status.HTTP_202_ACCEPTED,
        )


class RosterEntryOutput(serializers.ModelSerializer):
    id_number_masked = serializers.CharField(read_only=True)
    mobile_masked = serializers.SerializerMethodField()
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = RosterEntry
        fields = ["id", "full_name", "id_number_masked", "mobile_masked", "department"]
        fields += ["union_member", "start_date", "status", "status_label", "left_on"]
        fields += ["updated_at"]

    def get_mobile_masked(self, entry) -> str:
        return mask(entry.mobile, keep_start=3, keep_end=4)


class RosterListApi(generics.ListAPIView):
    """An employer's roster, ID and mobile numbers masked: its own admins and union staff."""

    permission_classes = [EmployerAdminOrUnionStaff]
    serializer_class = RosterEntryOutput
    queryset = RosterEntry.objects.none()  # for the schema; get_queryset scopes the real one

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=RosterEntry.Status.values, required=False),
            OpenApiParameter("search", str, description="part of a name or department"),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        employer = get_object_or_404(
            registry_selectors.employer_actable_list(user=self.request.user), pk=self.kwargs["pk"]
        )
        wanted = self.request.query_params.get("status", "")
        return selectors.roster_entry_list(
            user=self.request.user,
            employer=employer,
            status=wanted if wanted in RosterEntry.Status.values else "",
            search=self.request.query_params.get("search", "").strip()[:50],
        )


class PendingEmployeeOutput(serializers.ModelSerializer):
    member = serializers.IntegerField(source="member_id", read_only=True)
    full_name = serializers.CharField(source="member.full_name", read_only=True)
    id_number_masked = serializers.CharField(source="member.id_number_masked", read_only=True)
    mobile_masked = serializers.CharField(source="member.mobile_masked", read_only=True)
    on_roster = serializers.BooleanField(
        read_only=True, help_text="The roster holds this ID number (so only the name differs)."
    )

    class Meta:
        model = Employment
        fields = ["id", "member", "full_name", "id_number_masked", "mobile_masked"]
        fields += ["department", "on_roster", "created_at"]


class PendingEmployeeListApi(generics.ListAPIView):
    """People who say they work at the employer and are not on its roster: confirm or refuse."""

    permission_classes = [EmployerAdminOrUnionStaff]
    serializer_class = PendingEmployeeOutput
    queryset = Employment.objects.none()

    def get_queryset(self):
        employer = get_object_or_404(
            registry_selectors.employer_actable_list(user=self.request.user), pk=self.kwargs["pk"]
        )
        return selectors.pending_employment_list(user=self.request.user, employer=employer)


class EmploymentConfirmApi(APIView):
    """pending → active, verified by the employer admin."""

    permission_classes = [EmployerAdminOrUnionStaff]

    @extend_schema(request=None, responses=EmployeeOutput)
    def post(self, request, pk: int):
        employment = get_object_or_404(selectors.employment_actable_list(user=request.user), pk=pk)
        registry_services.employment_confirm(employment=employment, actor=request.user)
        employment = selectors.employment_actable_list(user=request.user).get(pk=pk)
        return Response(EmployeeOutput(employment).data)


class EmploymentRefuseApi(APIView):
    """pending → refused, with a reason the member is told."""

    permission_classes = [EmployerAdminOrUnionStaff]

    @extend_schema(request=RequiredReasonInput, responses=EmployeeOutput)
    def post(self, request, pk: int):
        employment = get_object_or_404(selectors.employment_actable_list(user=request.user), pk=pk)
        serializer = RequiredReasonInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        registry_services.employment_refuse(
            employment=employment, actor=request.user, reason=serializer.validated_data["reason"]
        )
        employment = selectors.employment_actable_list(user=request.user).get(pk=pk)
        return Response(EmployeeOutput(employment).data)


urlpatterns = [
    path(
        "roster-imports/<int:pk>/",
        RosterImportDetailApi.as_view(),
        name="api-roster-import-detail",
    ),
    path(
        "employers/<int:pk>/roster-imports/",
        RosterImportCreateApi.as_view(),
        name="api-employer-roster-imports",
    ),
    path("employers/<int:pk>/roster/", RosterListApi.as_view(), name="api-employer-roster"),
    path(
        "employers/<int:pk>/pending-employees/",
        PendingEmployeeListApi.as_view(),
        name="api-employer-pending-employees",
    ),
    path(
        "employments/<int:pk>/confirm/",
        EmploymentConfirmApi.as_view(),
        name="api-employment-confirm",
    ),
    path(
        "employments/<int:pk>/refuse/", EmploymentRefuseApi.as_view(), name="api-employment-refuse"
    ),
    *signup_urls,
]
