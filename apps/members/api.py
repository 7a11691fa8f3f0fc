"""API for unions, the parent's own member record and their children."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.models import Role
from apps.accounts.permissions import IsParent, IsUnionStaff, role_permission
from apps.core.ratelimit import PerUserScopeRateThrottle

from . import selectors, services
from .models import Child, Guardianship, Member, Union

AnySignedInRole = role_permission(*Role.values)


class ReadOnly(BasePermission):
    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS


# Unions


class UnionOutput(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    parent_name = serializers.CharField(
        source="parent.name", read_only=True, default=None, allow_null=True
    )
    area_name = serializers.CharField(
        source="area.name", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Union
        fields = ["id", "name", "kind", "kind_label", "parent", "parent_name", "area"]
        fields += ["area_name", "is_active"]


class UnionListApi(generics.ListAPIView):
    """Unions of the city: federations and grassroots unions."""

    permission_classes = [AnySignedInRole]
    serializer_class = UnionOutput

    def get_queryset(self):
        return selectors.union_list(user=self.request.user)


class UnionDetailApi(generics.RetrieveAPIView):
    permission_classes = [AnySignedInRole]
    serializer_class = UnionOutput

    def get_queryset(self):
        return selectors.union_list(user=self.request.user)


# The parent's own member record


class MemberOutput(serializers.ModelSerializer):
    id_number_masked = serializers.CharField(read_only=True)
    union_name = serializers.CharField(
        source="union.name", read_only=True, default=None, allow_null=True
    )
    membership_label = serializers.CharField(source="get_membership_display", read_only=True)

    class Meta:
        model = Member
        fields = ["id", "full_name", "id_number_masked", "mobile", "union", "union_name"]
        fields += ["membership", "membership_label", "membership_verified_at"]


class MemberMeInput(serializers.Serializer):
    mobile = serializers.CharField(max_length=30)
    password = serializers.CharField(
        max_length=128,
        write_only=True,
        help_text="Your account password, entered again to confirm the change.",
    )

    def validate(self, attrs):
        # Only the mobile number changes here; saying so beats silently ignoring a field.
        others = sorted(set(self.initial_data) - {"mobile", "password"})
        if others:
            message = _("This field cannot be changed here.")
            raise serializers.ValidationError({name: [message] for name in others})
        return attrs


class MemberMeApi(APIView):
    """The signed-in parent's member record; only the mobile number can be changed."""

    permission_classes = [IsParent]
    # Each wrong password is a guess at the parent's password: a few a minute is plenty.
    throttle_classes = [PerUserScopeRateThrottle]
    throttle_scope = "member-mobile-change"
    throttle_limit = 10

    def _member(self, request) -> Member:
        return get_object_or_404(selectors.member_me(user=request.user))

    @extend_schema(responses=MemberOutput)
    def get(self, request):
        return Response(MemberOutput(self._member(request)).data)

    @extend_schema(request=MemberMeInput, responses=MemberOutput)
    def patch(self, request):
        member = self._member(request)
        serializer = MemberMeInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        member = services.member_update_mobile(
            member=member,
            mobile=serializer.validated_data["mobile"],
            actor=request.user,
            password=serializer.validated_data["password"],
        )
        return Response(MemberOutput(member).data)


# Children


class GuardianOutput(serializers.ModelSerializer):
    member = serializers.IntegerField(source="guardian_id", read_only=True)
    full_name = serializers.CharField(source="guardian.full_name", read_only=True)
    relation_label = serializers.CharField(source="get_relation_display", read_only=True)

    class Meta:
        model = Guardianship
        fields = ["member", "full_name", "relation", "relation_label"]


class ChildOutput(serializers.ModelSerializer):
    sex_label = serializers.CharField(source="get_sex_display", read_only=True)
    id_number_masked = serializers.CharField(read_only=True)
    guardians = GuardianOutput(source="guardianships", many=True, read_only=True)
    consent_notice_version = serializers.CharField(source="consent.notice_version", read_only=True)
    consent_given_at = serializers.DateTimeField(source="consent.given_at", read_only=True)

    class Meta:
        model = Child
        fields = ["id", "full_name", "birth_date", "sex", "sex_label", "id_number_masked"]
        fields += ["guardians", "consent_notice_version", "consent_given_at", "created_at"]


class ChildInput(serializers.Serializer):
    full_name = serializers.CharField(max_length=50)
    birth_date = serializers.DateField()
    sex = serializers.ChoiceField(choices=Child.Sex.choices)
    id_number = serializers.CharField(max_length=30, required=False, allow_blank=True)
    relation = serializers.ChoiceField(choices=Guardianship.Relation.choices)
    consent_notice_version = serializers.CharField(max_length=20)


class ChildListApi(generics.ListAPIView):
    """Children: a parent's own (and adding one, with consent); union staff read all."""

    permission_classes = [IsParent | (IsUnionStaff & ReadOnly)]
    serializer_class = ChildOutput

    def get_queryset(self):
        return selectors.child_list(user=self.request.user)

    @extend_schema(request=ChildInput, responses={status.HTTP_201_CREATED: ChildOutput})
    def post(self, request):
        serializer = ChildInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        guardian = selectors.member_me(user=request.user).first()
        if guardian is None:
            raise services.MemberError(
                _("Register as a member before adding a child."), code="member_required"
            )
        child = services.child_create(
            guardian=guardian, actor=request.user, **serializer.validated_data
        )
        child = selectors.child_list(user=request.user).get(pk=child.pk)
        return Response(ChildOutput(child).data, status=status.HTTP_201_CREATED)


class ChildDetailApi(generics.RetrieveAPIView):
    permission_classes = [IsParent | (IsUnionStaff & ReadOnly)]
    serializer_class = ChildOutput

    def get_queryset(self):
        return selectors.child_list(user=self.request.user)
