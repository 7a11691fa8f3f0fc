"""Public sign-up endpoints: parents, employers, centres. Open to anyone, rate-limited per
address; no session or token is needed (or used) to sign up."""

from decimal import Decimal

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.centres.models import Centre, RegistrationStatus
from apps.centres.signup import centre_signup
from apps.core.models import Area
from apps.core.ratelimit import ScopeRateThrottle

from ..models import Employer
from ..services import signup as services

SIGNUPS_PER_MINUTE = 10


class _SignupApi(APIView):
    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [ScopeRateThrottle]
    throttle_scope = "signup"
    throttle_limit = SIGNUPS_PER_MINUTE


class ParentSignupInput(serializers.Serializer):
    full_name = serializers.CharField(max_length=50)
    id_number = serializers.CharField(max_length=30)
    mobile = serializers.CharField(max_length=20, help_text="Also the account's user name.")
    employer = serializers.PrimaryKeyRelatedField(
        queryset=Employer.objects.filter(status=RegistrationStatus.APPROVED)
    )
    password = serializers.CharField(max_length=128, write_only=True)
    union_member = serializers.BooleanField(default=False, help_text="I am a union member.")
    privacy_notice_version = serializers.CharField(
        max_length=20, help_text=f"The version accepted; now {services.PRIVACY_NOTICE_VERSION}."
    )


class ParentSignupOutput(serializers.Serializer):
    member = serializers.IntegerField()
    username = serializers.CharField()
    employment_status = serializers.CharField(help_text="active (roster match) or pending")
    membership = serializers.CharField(help_text="none, claimed or verified")


class ParentSignupApi(_SignupApi):
    """A parent account, member record and employment; verified at once on a roster match."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(request=ParentSignupInput, responses={201: ParentSignupOutput})
    def post(self, request):
        serializer = ParentSignupInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        member, employment = services.parent_signup(**serializer.validated_data)
        body = {
            "member": member.pk,
            "username": member.user.get_username(),
            "employment_status": employment.status,
            "membership": member.membership,
        }
        return Response(ParentSignupOutput(body).data, status=status.HTTP_201_CREATED)


# Inline rather than a component: "kind" names several enums (unions, care classes) and a
# shared component name would need ENUM_NAME_OVERRIDES in the settings.
@extend_schema_field({"type": "string", "enum": Employer.Kind.values})
class EmployerKindField(serializers.ChoiceField):
    pass


class AccountInput(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, write_only=True)


class EmployerSignupInput(AccountInput):
    name = serializers.CharField(max_length=100)
    credit_code = serializers.CharField(max_length=30)
    kind = EmployerKindField(choices=Employer.Kind.choices)
    area = serializers.PrimaryKeyRelatedField(queryset=Area.objects.filter(is_active=True))
    address = serializers.CharField(max_length=200)
    contact_name = serializers.CharField(max_length=50)
    contact_phone = serializers.CharField(max_length=20)


class SignupOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    status = serializers.CharField(help_text="pending until union staff approve it")
    username = serializers.CharField()


def _signed_up(organisation, user) -> Response:
    body = {
        "id": organisation.pk,
        "name": organisation.name,
        "status": organisation.status,
        "username": user.get_username(),
    }
    return Response(SignupOutput(body).data, status=status.HTTP_201_CREATED)


class EmployerSignupApi(_SignupApi):
    """An employer (pending approval) and its first admin account."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(request=EmployerSignupInput, responses={201: SignupOutput})
    def post(self, request):
        serializer = EmployerSignupInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        return _signed_up(*services.employer_signup(**serializer.validated_data))


class CentreSignupInput(AccountInput):
    name = serializers.CharField(max_length=100)
    credit_code = serializers.CharField(max_length=30)
    operator = serializers.CharField(max_length=100)
    address = serializers.CharField(max_length=200)
    area = serializers.PrimaryKeyRelatedField(queryset=Area.objects.filter(is_active=True))
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, min_value=Decimal(3))
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, min_value=Decimal(73))
    contact_phone = serializers.CharField(max_length=20)
    admin_full_name = serializers.CharField(max_length=100)
    filing_status = serializers.ChoiceField(
        choices=Centre.Filing.choices, default=Centre.Filing.NOT_FILED
    )
    filing_number = serializers.CharField(max_length=50, required=False, default="")


class CentreSignupApi(_SignupApi):
    """A childcare centre (pending approval) and its first admin account; GCJ-02 coordinates."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(request=CentreSignupInput, responses={201: SignupOutput})
    def post(self, request):
        serializer = CentreSignupInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        return _signed_up(*centre_signup(**serializer.validated_data))


class SignupEmployerOutput(serializers.ModelSerializer):
    area_name = serializers.CharField(source="area.name", read_only=True)

    class Meta:
        model = Employer
        fields = ["id", "name", "area_name"]


class SignupEmployerListApi(generics.ListAPIView):
    """Approved employers a parent may name when signing up (names only)."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    serializer_class = SignupEmployerOutput

    @extend_schema(parameters=[OpenApiParameter("search", str, description="part of the name")])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        employers = Employer.objects.filter(status=RegistrationStatus.APPROVED).select_related(
            "area"
        )
        search = self.request.query_params.get("search", "").strip()[:50]
        if search:
            employers = employers.filter(name__icontains=search)
        return employers.order_by("name", "id")


urlpatterns = [
    path("signup/parent/", ParentSignupApi.as_view(), name="api-signup-parent"),
    path("signup/employer/", EmployerSignupApi.as_view(), name="api-signup-employer"),
    path("signup/centre/", CentreSignupApi.as_view(), name="api-signup-centre"),
    path("signup/employers/", SignupEmployerListApi.as_view(), name="api-signup-employers"),
]
