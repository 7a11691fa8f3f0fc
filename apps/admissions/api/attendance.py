"""API for monthly attendance: centre admins report and correct their own centre's months,
union staff any centre's. A month a payout run has used is refused with `attendance_locked`."""

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.models import Role
from apps.accounts.permissions import role_permission

from ..models import Attendance
from ..selectors import attendance as selectors
from ..services import attendance as services
from .serializers import MonthField

CentreAdminOrUnionStaff = role_permission(Role.CENTRE_ADMIN, Role.UNION_STAFF)
MAX_BULK_ROWS = 500


class MonthlyAttendanceOutput(serializers.ModelSerializer):
    month = MonthField()
    child = serializers.IntegerField(source="enrolment.child_id", read_only=True)
    child_name = serializers.CharField(source="enrolment.child.full_name", read_only=True)
    centre = serializers.IntegerField(source="enrolment.centre_id", read_only=True)
    centre_name = serializers.CharField(source="enrolment.centre.name", read_only=True)
    centre_class = serializers.IntegerField(source="enrolment.centre_class_id", read_only=True)
    class_name = serializers.CharField(source="enrolment.centre_class.name", read_only=True)
    reported_by = serializers.CharField(
        source="reported_by.username", read_only=True, default=None, allow_null=True
    )
    used_by_payout_run = serializers.IntegerField(
        source="used_by_payout_run_id", read_only=True, allow_null=True
    )
    locked = serializers.SerializerMethodField(
        help_text="A payout run has used this month: it can no longer be corrected."
    )

    class Meta:
        model = Attendance
        fields = ["id", "enrolment", "child", "child_name", "centre", "centre_name"]
        fields += ["centre_class", "class_name", "month", "days_open", "days_attended"]
        fields += ["reported_by", "reported_at", "used_by_payout_run", "locked"]

    def get_locked(self, row: Attendance) -> bool:
        return row.used_by_payout_run_id is not None


class MonthlyAttendanceInput(serializers.Serializer):
    enrolment = serializers.IntegerField(min_value=1)
    month = MonthField()
    days_open = serializers.IntegerField(min_value=0, max_value=31)
    days_attended = serializers.IntegerField(min_value=0, max_value=31)


class MonthlyAttendanceFilter(serializers.Serializer):
    month = MonthField(required=False)
    centre = serializers.IntegerField(required=False, min_value=1)


def _entry(data: dict, key: str = "") -> services.AttendanceEntry:
    return services.AttendanceEntry(
        enrolment_id=data["enrolment"],
        month=data["month"],
        days_open=data["days_open"],
        days_attended=data["days_attended"],
        key=key,
    )


class AttendanceListApi(generics.ListAPIView):
    """Reported months, newest first: a centre admin's own centre's, or every centre's for union
    staff. POST reports a month for an enrolment, or corrects it until a payout run uses it."""

    permission_classes = [CentreAdminOrUnionStaff]
    serializer_class = MonthlyAttendanceOutput
    queryset = Attendance.objects.none()  # for the schema; get_queryset scopes the real one

    @extend_schema(
        parameters=[
            OpenApiParameter("month", str, description="YYYY-MM"),
            OpenApiParameter("centre", int, description="centre id"),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        filters = MonthlyAttendanceFilter(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return selectors.attendance_list(
            user=self.request.user,
            month=filters.validated_data.get("month"),
            centre_id=filters.validated_data.get("centre"),
        )

    @extend_schema(
        request=MonthlyAttendanceInput,
        responses={201: MonthlyAttendanceOutput, 200: MonthlyAttendanceOutput},
        description="201 when the month is reported for the first time, 200 when corrected "
        "(or sent again unchanged); 409 `attendance_locked` once a payout run has used it.",
    )
    def post(self, request):
        serializer = MonthlyAttendanceInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        outcome = services.attendance_report_batch(
            entries=[_entry(serializer.validated_data)], actor=request.user
        )[0]
        row = selectors.attendance_list(user=request.user).get(pk=outcome.attendance.pk)
        created = outcome.change == "created"
        return Response(
            MonthlyAttendanceOutput(row).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class MonthlyAttendanceBulkInput(serializers.Serializer):
    rows = MonthlyAttendanceInput(many=True, allow_empty=False, max_length=MAX_BULK_ROWS)


class MonthlyAttendanceBulkOutput(serializers.Serializer):
    created = serializers.IntegerField()
    corrected = serializers.IntegerField()
    unchanged = serializers.IntegerField()


class AttendanceBulkApi(APIView):
    """Report or correct many months at once (a whole class): all rows are saved, or none, with
    each refused row's errors under `fields["rows.<index>.<field>"]`."""

    permission_classes = [CentreAdminOrUnionStaff]

    @extend_schema(request=MonthlyAttendanceBulkInput, responses={200: MonthlyAttendanceBulkOutput})
    def post(self, request):
        serializer = MonthlyAttendanceBulkInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        entries = [
            _entry(row, key=f"rows.{index}")
            for index, row in enumerate(serializer.validated_data["rows"])
        ]
        outcomes = services.attendance_report_batch(entries=entries, actor=request.user)
        return Response(services.attendance_outcome_counts(outcomes))


urlpatterns = [
    path("attendance/", AttendanceListApi.as_view(), name="api-attendance-list"),
    path("attendance/bulk/", AttendanceBulkApi.as_view(), name="api-attendance-bulk"),
]
