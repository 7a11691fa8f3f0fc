"""API for subsidy schemes and budgets (union staff), and what an employer will pay under the
schemes it funds (its admin and union staff). Money is a string in yuan, e.g. "200.00"."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.models import Role
from apps.accounts.permissions import IsUnionStaff
from apps.employers.models import Programme
from apps.employers.pricing import next_month
from apps.employers.selectors.registry import employer_list

from ..models import Budget, SubsidyScheme
from ..models.schemes import UNIT_GRANT_CAP
from ..selectors import costs as cost_selectors
from ..selectors import schemes as selectors
from ..services import budgets as budget_services
from ..services import schemes as scheme_services
from ..services.refusals import REASON_MAX_LENGTH
from .common import Money, MonthField, inline_choice, method_roles, query

SchemeAccess = method_roles(read=(Role.UNION_STAFF, Role.EMPLOYER_ADMIN), write=(Role.UNION_STAFF,))
CostAccess = method_roles(read=(Role.UNION_STAFF, Role.EMPLOYER_ADMIN))


# Schemes


class SchemeProgrammeOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class SchemeOutput(serializers.ModelSerializer):
    # Plain strings: an enum named "kind" or "funder" would clash with other apps' enums.
    kind = serializers.CharField(help_text="monthly_subsidy, employer_fee_part or unit_grant")
    funder = serializers.CharField(help_text="employer, union or city")
    kind_label = serializers.CharField(source="get_kind_display")
    funder_label = serializers.CharField(source="get_funder_display")
    programmes = SchemeProgrammeOutput(many=True)
    grant_base_amount = Money()
    grant_per_child_amount = Money()
    grant_cap = Money()

    class Meta:
        model = SubsidyScheme
        fields = ["id", "name", "kind", "kind_label", "funder", "funder_label", "programmes"]
        fields += ["prorate_by_days", "hold_without_attendance", "zero_attendance_pays_nothing"]
        fields += ["grant_base_amount", "grant_per_child_amount", "grant_cap"]
        fields += ["valid_from", "valid_until", "is_active"]


class SchemeInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    kind = inline_choice(SubsidyScheme.Kind.choices)
    funder = inline_choice(SubsidyScheme.Funder.choices)
    programmes = serializers.PrimaryKeyRelatedField(
        queryset=Programme.objects.all(), many=True, required=False
    )
    prorate_by_days = serializers.BooleanField(required=False)
    hold_without_attendance = serializers.BooleanField(required=False)
    zero_attendance_pays_nothing = serializers.BooleanField(required=False)
    grant_base_amount = Money(min_value=0, required=False)
    grant_per_child_amount = Money(min_value=0, required=False)
    grant_cap = Money(min_value=0, max_value=UNIT_GRANT_CAP, required=False)
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(required=False, allow_null=True)
    is_active = serializers.BooleanField(required=False)


class SchemeListApi(GenericAPIView):
    """Union staff: every scheme. An employer admin: the schemes covering their programmes."""

    permission_classes = [SchemeAccess]
    queryset = SubsidyScheme.objects.none()  # for the schema; each method scopes its own
    serializer_class = SchemeOutput

    @extend_schema(responses=SchemeOutput(many=True))
    def get(self, request):
        page = self.paginate_queryset(selectors.scheme_list(user=request.user))
        return self.get_paginated_response(SchemeOutput(page, many=True).data)

    @extend_schema(request=SchemeInput, responses={201: SchemeOutput})
    def post(self, request):
        serializer = SchemeInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        scheme = scheme_services.scheme_create(actor=request.user, **serializer.validated_data)
        scheme = selectors.scheme_list(user=request.user).get(pk=scheme.pk)
        return Response(SchemeOutput(scheme).data, status=status.HTTP_201_CREATED)


class SchemeDetailApi(APIView):
    permission_classes = [SchemeAccess]

    @extend_schema(responses=SchemeOutput)
    def get(self, request, pk: int):
        scheme = get_object_or_404(selectors.scheme_list(user=request.user), pk=pk)
        return Response(SchemeOutput(scheme).data)

    @extend_schema(request=SchemeInput, responses=SchemeOutput)
    def patch(self, request, pk: int):
        """Change the rules, dates or programmes; the kind is fixed. Audited."""
        scheme = get_object_or_404(selectors.scheme_manageable_list(user=request.user), pk=pk)
        serializer = SchemeInput(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        scheme_services.scheme_update(
            scheme=scheme, actor=request.user, **serializer.validated_data
        )
        return Response(SchemeOutput(selectors.scheme_list(user=request.user).get(pk=pk)).data)


# Budgets


class BudgetOutput(serializers.ModelSerializer):
    scheme_name = serializers.CharField(source="scheme.name")
    amount = Money()
    reserved = Money(help_text="Held by calculated payout runs.")
    committed = Money(help_text="Spent by approved payout runs.")
    available = Money(help_text="amount − reserved − committed")

    class Meta:
        model = Budget
        fields = ["id", "scheme", "scheme_name", "year", "amount", "reserved", "committed"]
        fields += ["available"]


class BudgetQuery(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    scheme = serializers.IntegerField(required=False, min_value=1)


class BudgetInput(serializers.Serializer):
    scheme = serializers.PrimaryKeyRelatedField(queryset=SubsidyScheme.objects.all())
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    amount = Money(min_value=0)


class BudgetRaiseInput(serializers.Serializer):
    amount = Money(min_value=0, help_text="The new total for the year, in yuan.")
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH)


class BudgetListApi(GenericAPIView):
    """Union staff: budgets by scheme and year, with what payout runs reserved and committed."""

    permission_classes = [IsUnionStaff]
    queryset = Budget.objects.none()  # for the schema
    serializer_class = BudgetOutput

    @extend_schema(parameters=[BudgetQuery], responses=BudgetOutput(many=True))
    def get(self, request):
        params = query(BudgetQuery, request)
        budgets = selectors.budget_list(user=request.user)
        if "year" in params:
            budgets = budgets.filter(year=params["year"])
        if "scheme" in params:
            budgets = budgets.filter(scheme_id=params["scheme"])
        page = self.paginate_queryset(budgets)
        return self.get_paginated_response(BudgetOutput(page, many=True).data)

    @extend_schema(request=BudgetInput, responses={201: BudgetOutput})
    def post(self, request):
        serializer = BudgetInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        budget = budget_services.budget_create(actor=request.user, **serializer.validated_data)
        return Response(BudgetOutput(budget).data, status=status.HTTP_201_CREATED)


class BudgetRaiseApi(APIView):
    """Set a budget's total, with a reason; never below what runs reserved and committed."""

    permission_classes = [IsUnionStaff]

    @extend_schema(request=BudgetRaiseInput, responses=BudgetOutput)
    def post(self, request, pk: int):
        budget = get_object_or_404(selectors.budget_list(user=request.user), pk=pk)
        serializer = BudgetRaiseInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        budget = budget_services.budget_raise(
            budget=budget, actor=request.user, **serializer.validated_data
        )
        budget = selectors.budget_list(user=request.user).get(pk=budget.pk)
        return Response(BudgetOutput(budget).data)


# What an employer will pay


class SchemeCostOutput(serializers.Serializer):
    scheme = serializers.IntegerField(source="scheme.pk")
    name = serializers.CharField(source="scheme.name")
    kind = serializers.CharField(source="scheme.kind")
    kind_label = serializers.CharField(source="scheme.get_kind_display")
    children = serializers.IntegerField(help_text="Enrolled children the estimate counts.")
    workers = serializers.IntegerField(help_text="Workers with a subsidised child.")
    places = serializers.IntegerField(help_text="Places bought per place.")
    amount = Money()


class CostOutput(serializers.Serializer):
    employer = serializers.IntegerField(source="employer.pk")
    employer_name = serializers.CharField(source="employer.name")
    month = MonthField()
    schemes = SchemeCostOutput(many=True)
    total = Money()


class CostQuery(serializers.Serializer):
    month = MonthField(required=False, help_text="Default: next month.")


class EmployerCostApi(APIView):
    """The employer's estimated cost for a month under the schemes it funds, from the current
    enrolments and place agreements, assuming every child attends."""

    permission_classes = [CostAccess]

    @extend_schema(parameters=[CostQuery], responses=CostOutput)
    def get(self, request, pk: int):
        employer = get_object_or_404(employer_list(user=request.user), pk=pk)
        month = query(CostQuery, request).get("month") or next_month(timezone.localdate())
        estimate = cost_selectors.employer_cost_estimate(employer=employer, month=month)
        return Response(CostOutput(estimate).data)


urlpatterns = [
    path("schemes/", SchemeListApi.as_view(), name="api-scheme-list"),
    path("schemes/<int:pk>/", SchemeDetailApi.as_view(), name="api-scheme-detail"),
    path("budgets/", BudgetListApi.as_view(), name="api-budget-list"),
    path("budgets/<int:pk>/raise/", BudgetRaiseApi.as_view(), name="api-budget-raise"),
    path("employers/<int:pk>/costs/", EmployerCostApi.as_view(), name="api-employer-costs"),
]
