"""API for applications: apply (with an Idempotency-Key), the quote before applying, each
role's list, the centre's waiting list, and the moves as actions. Objects out of the user's
scope answer 404; a role that may never make a move answers 403."""

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.models import Role
from apps.accounts.permissions import IsCentreAdmin, IsEmployerAdmin, IsParent, role_permission
from apps.core.idempotency import idempotent_response
from apps.employers.selectors.programmes import member_for, programme_refusal

from ..errors import AdmissionsCode, refuse
from ..selectors.applications import application_list, enrolment_list, waiting_list
from ..selectors.quotes import application_offer
from ..services import applications as services
from ..services import offers
from .serializers import (
    AdmissionEnrolmentOutput,
    ApplicationAcceptOutput,
    ApplicationEmployerOutput,
    ApplicationFilter,
    ApplicationInput,
    ApplicationOfferInput,
    ApplicationOutput,
    ApplicationQuoteOutput,
    ApplicationReasonInput,
    ApplicationRejectInput,
    QuoteQuery,
    WaitingListFilter,
)

Readers = role_permission(Role.PARENT, Role.EMPLOYER_ADMIN, Role.CENTRE_ADMIN, Role.UNION_STAFF)
CentreReaders = role_permission(Role.CENTRE_ADMIN, Role.UNION_STAFF)
Rejecters = role_permission(Role.EMPLOYER_ADMIN, Role.CENTRE_ADMIN)
IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Send the same key again to get the first response back instead of acting twice.",
)


class ReadOnly(BasePermission):
    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS


def application_by_role(many: bool = False) -> PolymorphicProxySerializer:
    # An employer admin gets the narrower view (no child details); the others the full one.
    return PolymorphicProxySerializer(
        component_name="ApplicationByRole",
        serializers=[ApplicationOutput, ApplicationEmployerOutput],
        resource_type_field_name=None,
        many=many,
    )


def output_for(user):
    is_employer = getattr(user, "role", None) == Role.EMPLOYER_ADMIN
    return ApplicationEmployerOutput if is_employer else ApplicationOutput


def _member(user):
    member = member_for(user)
    if member is None:
        raise refuse("applicant", _("Register your member details before applying."))
    return member


def _reload(user, pk: int):
    return application_list(user=user).get(pk=pk)


class ApplicationListApi(generics.ListAPIView):
    """Applications the user may see; a parent applies with POST (quote it first)."""

    permission_classes = [Readers, ReadOnly | IsParent]
    filter_backends: list = []

    def get_serializer_class(self):
        return output_for(self.request.user)

    def get_queryset(self):
        query = ApplicationFilter(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        rows = application_list(user=self.request.user)
        params = query.validated_data
        if params.get("state"):
            rows = rows.filter(state__in=params["state"])
        if "programme" in params:
            rows = rows.filter(programme_id=params["programme"])
        if "centre" in params:
            rows = rows.filter(centre_id=params["centre"])
        return rows

    @extend_schema(parameters=[ApplicationFilter], responses=application_by_role(many=True))
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=ApplicationInput,
        responses={201: ApplicationOutput},
        parameters=[IDEMPOTENCY_HEADER],
    )
    def post(self, request):
        return idempotent_response(request, lambda: self._submit(request))

    def _submit(self, request) -> Response:
        serializer = ApplicationInput(data=request.data, context={"request": request})
        if not serializer.is_valid():
            _member(request.user)  # without a member record, that is the first thing to fix
            raise ValidationError(serializer.errors)
        data = serializer.validated_data
        application = services.application_submit(
            member=data["child"].applying_member, actor=request.user, **data
        )
        # The service returns the row as written, with its place in line and relations loaded:
        # no read back needed.
        return Response(ApplicationOutput(application).data, status=201)


class ApplicationQuoteApi(APIView):
    """What a place would cost the parent each month, before applying."""

    permission_classes = [IsParent]

    @extend_schema(parameters=[QuoteQuery], responses=ApplicationQuoteOutput)
    def get(self, request):
        query = QuoteQuery(data=request.query_params, context={"request": request})
        query.is_valid(raise_exception=True)
        params = query.validated_data
        child, member = params.get("child"), _member(request.user)
        refusal = programme_refusal(
            member=member, programme=params["programme"], month=params["start_month"]
        )
        if refusal:
            raise refuse("programme", refusal, code=AdmissionsCode.NOT_ELIGIBLE)
        if not params["programme"].centres.filter(pk=params["centre"].pk).exists():
            raise refuse("centre", _("This programme does not place children at this centre."))
        offer = application_offer(
            member=member,
            programme=params["programme"],
            centre=params["centre"],
            age_class=params["age_class"],
            month=params["start_month"],
            child_id=child.pk if child else None,
        )
        if offer is None:
            raise refuse(
                "age_class", _("The programme has no places for this age class at this centre.")
            )
        return Response(offer.quote)


class WaitingListApi(generics.ListAPIView):
    """The whole line at the centre admin's centre, in order, each with its place in line."""

    permission_classes = [CentreReaders]
    serializer_class = ApplicationOutput
    filter_backends: list = []

    def get_queryset(self):
        query = WaitingListFilter(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return waiting_list(
            user=self.request.user,
            programme_id=query.validated_data.get("programme"),
            age_class=query.validated_data.get("age_class"),
        )

    @extend_schema(parameters=[WaitingListFilter])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ApplicationDetailApi(APIView):
    permission_classes = [Readers]

    @extend_schema(responses=application_by_role())
    def get(self, request, pk: int):
        application = get_object_or_404(application_list(user=request.user), pk=pk)
        return Response(output_for(request.user)(application).data)


class _MoveApi(APIView):
    """POST an action on one application in the user's scope; answers the application."""

    input_class = ApplicationReasonInput

    def post(self, request, pk: int):
        return idempotent_response(request, lambda: self._move(request, pk))

    def _move(self, request, pk: int) -> Response:
        application = get_object_or_404(application_list(user=request.user), pk=pk)
        serializer = self.input_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.act(application=application, actor=request.user, **serializer.validated_data)
        return Response(output_for(request.user)(_reload(request.user, pk)).data)

    def act(self, *, application, actor, **data) -> None:
        raise NotImplementedError


class ApplicationConfirmEmploymentApi(_MoveApi):
    """The employer admin confirms the applicant works there."""

    permission_classes = [IsEmployerAdmin]

    @extend_schema(request=None, responses=application_by_role(), parameters=[IDEMPOTENCY_HEADER])
    def post(self, request, pk: int):
        return super().post(request, pk)

    def act(self, *, application, actor, **data) -> None:
        services.application_confirm_employment(application=application, actor=actor)


class ApplicationRejectApi(_MoveApi):
    """The employer admin (not employed here) or the centre admin rejects, with a reason."""

    permission_classes = [Rejecters]
    input_class = ApplicationRejectInput

    @extend_schema(
        request=ApplicationRejectInput,
        responses=application_by_role(),
        parameters=[IDEMPOTENCY_HEADER],
    )
    def post(self, request, pk: int):
        return super().post(request, pk)

    def act(self, *, application, actor, reason: str) -> None:
        services.application_reject(application=application, actor=actor, reason=reason)


class ApplicationOfferApi(_MoveApi):
    """The centre admin offers a free place (409 `no_place` when there is none)."""

    permission_classes = [IsCentreAdmin]
    input_class = ApplicationOfferInput

    @extend_schema(
        request=ApplicationOfferInput,
        responses=application_by_role(),
        parameters=[IDEMPOTENCY_HEADER],
    )
    def post(self, request, pk: int):
        return super().post(request, pk)

    def act(self, *, application, actor, centre_class=None, reason: str = "") -> None:
        offers.application_offer(
            application=application, actor=actor, centre_class=centre_class, reason=reason
        )


class ApplicationAcceptApi(_MoveApi):
    """The parent accepts the offer: the child is enrolled at the price of today."""

    permission_classes = [IsParent]

    @extend_schema(request=None, responses=ApplicationAcceptOutput, parameters=[IDEMPOTENCY_HEADER])
    def post(self, request, pk: int):
        return super().post(request, pk)

    def _move(self, request, pk: int) -> Response:
        application = get_object_or_404(application_list(user=request.user), pk=pk)
        enrolment = offers.offer_accept(application=application, actor=request.user)
        body = {
            "application": ApplicationOutput(_reload(request.user, pk)).data,
            "enrolment": AdmissionEnrolmentOutput(
                enrolment_list(user=request.user).get(pk=enrolment.pk)
            ).data,
        }
        return Response(body)


class ApplicationDeclineApi(_MoveApi):
    permission_classes = [IsParent]

    @extend_schema(
        request=ApplicationReasonInput,
        responses=application_by_role(),
        parameters=[IDEMPOTENCY_HEADER],
    )
    def post(self, request, pk: int):
        return super().post(request, pk)

    def act(self, *, application, actor, reason: str = "") -> None:
        offers.offer_decline(application=application, actor=actor, reason=reason)


class ApplicationWithdrawApi(_MoveApi):
    permission_classes = [IsParent]

    @extend_schema(
        request=ApplicationReasonInput,
        responses=application_by_role(),
        parameters=[IDEMPOTENCY_HEADER],
    )
    def post(self, request, pk: int):
        return super().post(request, pk)

    def act(self, *, application, actor, reason: str = "") -> None:
        services.application_withdraw(application=application, actor=actor, reason=reason)


def _action(name: str, view) -> object:
    return path(f"applications/<int:pk>/{name}/", view.as_view(), name=f"api-application-{name}")


urlpatterns = [
    path("applications/", ApplicationListApi.as_view(), name="api-application-list"),
    path("applications/quote/", ApplicationQuoteApi.as_view(), name="api-application-quote"),
    path(
        "applications/waiting-list/",
        WaitingListApi.as_view(),
        name="api-application-waiting-list",
    ),
    path("applications/<int:pk>/", ApplicationDetailApi.as_view(), name="api-application-detail"),
    _action("confirm-employment", ApplicationConfirmEmploymentApi),
    _action("offer", ApplicationOfferApi),
    _action("accept", ApplicationAcceptApi),
    _action("decline", ApplicationDeclineApi),
    _action("withdraw", ApplicationWithdrawApi),
    _action("reject", ApplicationRejectApi),
]
