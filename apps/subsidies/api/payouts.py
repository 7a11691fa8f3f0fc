"""API for payout runs, union staff only: start a run (or get the live one for the period), follow
its progress, resume, approve (never the staff member who started it), cancel, export, import
the bank's return; read its lines and its report. An approved run refuses every change (409)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, path, reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.permissions import IsUnionStaff

from ..models import PayoutLine, PayoutRun
from ..selectors import payouts as selectors
from ..services import payout_bank, payouts
from .common import Money, MonthField, inline_choice, query


class PayoutRunOutput(serializers.ModelSerializer):
    period = MonthField()
    kind = inline_choice(PayoutRun.Kind.choices)
    status = inline_choice(PayoutRun.Status.choices)
    status_label = serializers.CharField(source="get_status_display")
    started_by = serializers.CharField(source="started_by.username", default=None, allow_null=True)
    approved_by = serializers.CharField(
        source="approved_by.username", default=None, allow_null=True
    )
    total_amount = Money()
    held_amount = Money()
    progress_percent = serializers.SerializerMethodField()
    stuck = serializers.SerializerMethodField(
        help_text="Calculating with no progress for 10 minutes: resume it."
    )

    class Meta:
        model = PayoutRun
        fields = ["id", "kind", "period", "status", "status_label", "started_by", "approved_by"]
        fields += ["chunks_total", "chunks_done", "progress_percent", "stuck", "total_amount"]
        fields += ["held_amount", "started_at", "progressed_at", "calculated_at", "approved_at"]
        fields += ["exported_at", "paid_at"]

    def get_progress_percent(self, run: PayoutRun) -> int:
        if run.status != PayoutRun.Status.CALCULATING:
            return 100 if run.status != PayoutRun.Status.CANCELLED else 0
        return run.chunks_done * 100 // run.chunks_total if run.chunks_total else 0

    def get_stuck(self, run: PayoutRun) -> bool:
        return payouts.is_stuck(run)


class PayoutRunInput(serializers.Serializer):
    kind = serializers.ChoiceField(PayoutRun.Kind.choices, default=PayoutRun.Kind.MONTHLY)
    period = MonthField()


class CancelInput(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class BankReturnInput(serializers.Serializer):
    file = serializers.FileField(
        help_text="The bank's return sheet (.xlsx or .csv) with 明细编号 and 金额."
    )


class PayoutLineOutput(serializers.ModelSerializer):
    scheme_name = serializers.CharField(source="scheme.name")
    payee = serializers.SerializerMethodField()
    account = serializers.SerializerMethodField(help_text="Masked account number.")
    amount = Money()
    status = inline_choice(PayoutLine.Status.choices)
    payee_kind = inline_choice(PayoutLine.PayeeKind.choices)
    funder = serializers.CharField()

    class Meta:
        model = PayoutLine
        fields = ["id", "scheme", "scheme_name", "subject", "payee_kind", "payee", "member"]
        fields += ["centre", "employer", "account", "funder", "amount", "days_enrolled"]
        fields += ["days_in_month", "status", "starts_on", "adjusts"]

    def get_payee(self, line: PayoutLine) -> str:
        return str(
            {"parent": line.member, "centre": line.centre}.get(line.payee_kind, line.employer)
        )

    def get_account(self, line: PayoutLine) -> str:
        return line.bank_account.account_number_masked if line.bank_account else ""


class LineFilter(serializers.Serializer):
    status = serializers.ChoiceField(PayoutLine.Status.choices, required=False)
    scheme = serializers.IntegerField(required=False, min_value=1)


class ReportRowOutput(serializers.Serializer):
    key = serializers.CharField(allow_null=True)
    name = serializers.CharField(allow_null=True)
    lines = serializers.IntegerField()
    payable = Money()
    held = Money()
    paid = Money()


class ReportOutput(serializers.Serializer):
    scheme = ReportRowOutput(many=True)
    funder = ReportRowOutput(many=True)
    employer = ReportRowOutput(many=True)
    centre = ReportRowOutput(many=True)


class BankSheetOutput(serializers.Serializer):
    funder = serializers.CharField()
    rows = serializers.IntegerField()
    amount = Money()
    download = serializers.URLField(
        allow_null=True, help_text="The bank's file, with full account numbers."
    )


class ExportOutput(serializers.Serializer):
    run = PayoutRunOutput()
    sheets = BankSheetOutput(many=True)


class BankReturnProblemOutput(serializers.Serializer):
    row = serializers.IntegerField()
    reference = serializers.IntegerField(allow_null=True)
    amount = Money(allow_null=True)
    reason = serializers.CharField()


class BankReturnOutput(serializers.Serializer):
    run = PayoutRunOutput()
    matched_rows = serializers.IntegerField()
    matched_amount = Money()
    paid_lines = serializers.IntegerField()
    unmatched_lines = serializers.IntegerField()
    problems = BankReturnProblemOutput(many=True)


def _run(request, pk: int) -> PayoutRun:
    return get_object_or_404(selectors.payout_run_list(user=request.user), pk=pk)


def _output(run: PayoutRun) -> dict:
    return PayoutRunOutput(run).data


class PayoutRunListApi(generics.ListAPIView):
    """Payout runs, newest period first. POST starts the run of a period, or returns the live
    run of that period already there (200; nothing is recomputed)."""

    permission_classes = [IsUnionStaff]
    serializer_class = PayoutRunOutput
    queryset = PayoutRun.objects.none()  # for the schema; get_queryset scopes the real one

    def get_queryset(self):
        return selectors.payout_run_list(user=self.request.user)

    @extend_schema(request=PayoutRunInput, responses={201: PayoutRunOutput, 200: PayoutRunOutput})
    def post(self, request):
        serializer = PayoutRunInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        run, created = payouts.payout_run_start(actor=request.user, **serializer.validated_data)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(_output(run), status=code)


class PayoutRunDetailApi(APIView):
    """One run with its progress (chunks done of chunks total) and whether it is stuck."""

    permission_classes = [IsUnionStaff]

    @extend_schema(responses=PayoutRunOutput)
    def get(self, request, pk: int):
        return Response(_output(_run(request, pk)))


class PayoutRunResumeApi(APIView):
    """Send a calculating run's unfinished chunks again (safe if they were still running)."""

    permission_classes = [IsUnionStaff]

    @extend_schema(request=None, responses=PayoutRunOutput)
    def post(self, request, pk: int):
        run = payouts.payout_run_resume(run=_run(request, pk), actor=request.user)
        return Response(_output(run))


class PayoutRunApproveApi(APIView):
    """Approve a calculated run; 403 `four_eyes` to the staff member who started it."""

    permission_classes = [IsUnionStaff]

    @extend_schema(request=None, responses=PayoutRunOutput)
    def post(self, request, pk: int):
        run = payouts.payout_run_approve(run=_run(request, pk), actor=request.user)
        return Response(_output(run))


class PayoutRunCancelApi(APIView):
    """Cancel a calculated run, with a reason: its budget reservations are released."""

    permission_classes = [IsUnionStaff]

    @extend_schema(request=CancelInput, responses=PayoutRunOutput)
    def post(self, request, pk: int):
        serializer = CancelInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        run = payouts.payout_run_cancel(
            run=_run(request, pk), actor=request.user, reason=serializer.validated_data["reason"]
        )
        return Response(_output(run))


class PayoutRunExportApi(APIView):
    """Mark an approved run as exported; answers with its bank sheets (one per funder)."""

    permission_classes = [IsUnionStaff]

    @extend_schema(request=None, responses=ExportOutput)
    def post(self, request, pk: int):
        run = payouts.payout_run_export(run=_run(request, pk), actor=request.user)
        sheets = []
        for funder in payout_bank.funders(run):
            groups = payout_bank.sheet_groups(run, funder)
            sheets.append(
                {
                    "funder": funder,
                    "rows": groups.count(),
                    "amount": sum(group["amount"] for group in groups),
                    "download": _bank_file_url(request, run, funder),
                }
            )
        return Response(ExportOutput({"run": run, "sheets": sheets}).data)


def _bank_file_url(request, run: PayoutRun, funder: str) -> str | None:
    try:
        url = reverse("payout-run-bank-file", kwargs={"pk": run.pk, "funder": funder})
    except NoReverseMatch:  # the dashboard pages are not wired into this deployment's URLs
        return None
    return request.build_absolute_uri(url)


class PayoutRunBankReturnApi(APIView):
    """Import the bank's return sheet (multipart `file`): matched lines paid, the rest
    unmatched; rows matching nothing are listed in `problems`."""

    permission_classes = [IsUnionStaff]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": BankReturnInput}, responses=BankReturnOutput)
    def post(self, request, pk: int):
        serializer = BankReturnInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = payout_bank.payout_run_bank_return(
            run=_run(request, pk), upload=serializer.validated_data["file"], actor=request.user
        )
        return Response(BankReturnOutput({"run": _run(request, pk), **result.__dict__}).data)


class PayoutLineListApi(generics.ListAPIView):
    """A run's lines, filterable by status and scheme; accounts shown masked."""

    permission_classes = [IsUnionStaff]
    serializer_class = PayoutLineOutput
    queryset = PayoutLine.objects.none()

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=PayoutLine.Status.values),
            OpenApiParameter("scheme", int),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        filters = query(LineFilter, self.request)
        run = _run(self.request, self.kwargs["pk"])
        return selectors.payout_line_list(user=self.request.user, run=run, **filters)


class PayoutRunReportApi(APIView):
    """Totals by scheme, funder, employer and centre (payable, held, paid; lines)."""

    permission_classes = [IsUnionStaff]

    @extend_schema(responses=ReportOutput)
    def get(self, request, pk: int):
        return Response(ReportOutput(selectors.payout_run_report(_run(request, pk))).data)


urlpatterns = [
    path("payout-runs/", PayoutRunListApi.as_view(), name="api-payout-run-list"),
    path("payout-runs/<int:pk>/", PayoutRunDetailApi.as_view(), name="api-payout-run-detail"),
    path(
        "payout-runs/<int:pk>/resume/", PayoutRunResumeApi.as_view(), name="api-payout-run-resume"
    ),
    path(
        "payout-runs/<int:pk>/approve/",
        PayoutRunApproveApi.as_view(),
        name="api-payout-run-approve",
    ),
    path(
        "payout-runs/<int:pk>/cancel/", PayoutRunCancelApi.as_view(), name="api-payout-run-cancel"
    ),
    path(
        "payout-runs/<int:pk>/export/", PayoutRunExportApi.as_view(), name="api-payout-run-export"
    ),
    path(
        "payout-runs/<int:pk>/bank-return/",
        PayoutRunBankReturnApi.as_view(),
        name="api-payout-run-bank-return",
    ),
    path("payout-runs/<int:pk>/lines/", PayoutLineListApi.as_view(), name="api-payout-run-lines"),
    path(
        "payout-runs/<int:pk>/report/", PayoutRunReportApi.as_view(), name="api-payout-run-report"
    ),
]
