"""API for payees' bank accounts: owners (parents, centre and employer admins) enter their own,
union staff list, check and reject them. Numbers only ever leave masked (6222**********1234)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.models import Role
from apps.accounts.permissions import IsUnionStaff
from apps.core.ratelimit import PerUserScopeRateThrottle

from ..models import BankAccount
from ..selectors import schemes as selectors
from ..services import accounts as services
from ..services.refusals import REASON_MAX_LENGTH
from .common import inline_choice, method_roles, query

OWNERS = (Role.PARENT, Role.CENTRE_ADMIN, Role.EMPLOYER_ADMIN)
AccountAccess = method_roles(read=(*OWNERS, Role.UNION_STAFF), write=OWNERS)
# Each wrong password is a guess at the owner's password: a few a minute is plenty.
SUBMITS_PER_MINUTE = 10


class BankAccountOutput(serializers.ModelSerializer):
    owner_kind = serializers.SerializerMethodField()
    owner_name = serializers.SerializerMethodField()
    account_number_masked = serializers.CharField()
    status = serializers.CharField(help_text="pending, checked or rejected")
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = BankAccount
        fields = ["id", "owner_kind", "owner_name", "bank_name", "account_name"]
        fields += ["account_number_masked", "status", "status_label", "is_current"]
        fields += ["rejection_reason", "checked_at", "created_at"]

    def get_owner_kind(self, account) -> str:
        return services.account_owner(account)[0]

    def get_owner_name(self, account) -> str:
        owner = services.account_owner(account)[1]
        return owner.full_name if hasattr(owner, "full_name") else owner.name


class BankAccountQuery(serializers.Serializer):
    status = inline_choice(BankAccount.Status.choices, required=False)
    is_current = serializers.BooleanField(required=False, allow_null=True, default=None)


class BankAccountInput(serializers.Serializer):
    bank_name = serializers.CharField(max_length=100, help_text="Bank and branch.")
    account_name = serializers.CharField(max_length=100, help_text="Name on the account.")
    account_number = serializers.CharField(
        max_length=60, write_only=True, help_text="12 to 30 digits; spaces are ignored."
    )
    password = serializers.CharField(
        max_length=128,
        write_only=True,
        required=False,
        allow_blank=True,
        help_text="Your account password: required to replace an existing bank account.",
    )


class BankAccountRejectInput(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH)


class BankAccountListApi(GenericAPIView):
    """Owners: their own accounts, current first. Union staff: every account."""

    permission_classes = [AccountAccess]
    throttle_classes = [PerUserScopeRateThrottle]
    throttle_scope = "bank-account-submit"
    throttle_limit = SUBMITS_PER_MINUTE
    queryset = BankAccount.objects.none()  # for the schema
    serializer_class = BankAccountOutput

    @extend_schema(parameters=[BankAccountQuery], responses=BankAccountOutput(many=True))
    def get(self, request):
        params = query(BankAccountQuery, request)
        accounts = selectors.bank_account_list(user=request.user).order_by(
            "-is_current", "-created_at", "-id"
        )
        if params.get("status"):
            accounts = accounts.filter(status=params["status"])
        if params.get("is_current") is not None:
            accounts = accounts.filter(is_current=params["is_current"])
        page = self.paginate_queryset(accounts)
        return self.get_paginated_response(BankAccountOutput(page, many=True).data)

    @extend_schema(request=BankAccountInput, responses={201: BankAccountOutput})
    def post(self, request):
        """Enter your bank account (or your centre's or employer's); it awaits union staff's
        check and replaces the current one."""
        owner = selectors.bank_account_owner_for(user=request.user)
        if owner is None:
            raise PermissionDenied
        serializer = BankAccountInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        account = services.bank_account_submit(
            actor=request.user, **owner, **serializer.validated_data
        )
        account = selectors.bank_account_list(user=request.user).get(pk=account.pk)
        return Response(BankAccountOutput(account).data, status=status.HTTP_201_CREATED)


class BankAccountCheckApi(APIView):
    """pending → checked (union staff): payouts may now be paid into it."""

    permission_classes = [IsUnionStaff]

    @extend_schema(request=None, responses=BankAccountOutput)
    def post(self, request, pk: int):
        account = get_object_or_404(selectors.bank_account_list(user=request.user), pk=pk)
        services.bank_account_check(account=account, actor=request.user)
        account = selectors.bank_account_list(user=request.user).get(pk=pk)
        return Response(BankAccountOutput(account).data)


class BankAccountRejectApi(APIView):
    """pending or checked → rejected, with a reason; the owner is told to enter another."""

    permission_classes = [IsUnionStaff]

    @extend_schema(request=BankAccountRejectInput, responses=BankAccountOutput)
    def post(self, request, pk: int):
        account = get_object_or_404(selectors.bank_account_list(user=request.user), pk=pk)
        serializer = BankAccountRejectInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.bank_account_reject(
            account=account, actor=request.user, reason=serializer.validated_data["reason"]
        )
        account = selectors.bank_account_list(user=request.user).get(pk=pk)
        return Response(BankAccountOutput(account).data)


urlpatterns = [
    path("bank-accounts/", BankAccountListApi.as_view(), name="api-bank-account-list"),
    path(
        "bank-accounts/<int:pk>/check/",
        BankAccountCheckApi.as_view(),
        name="api-bank-account-check",
    ),
    path(
        "bank-accounts/<int:pk>/reject/",
        BankAccountRejectApi.as_view(),
        name="api-bank-account-reject",
    ),
]
