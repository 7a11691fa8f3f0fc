"""API for applications and their evidence: units apply and attach files, union staff manage."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.permissions import IsEmployerAdmin, IsUnionStaff
from apps.employers.selectors.registry import employer_actable_list

from .. import selectors, services
from ..errors import PilotError
from ..models import Application, Evidence, RubricItem
from ..serializers import (
    PilotApplicationInput,
    PilotApplicationOutput,
    PilotEvidenceInput,
    PilotEvidenceOutput,
    PilotReasonInput,
    PilotRequiredReasonInput,
)
from .common import ParticipantOrStaff


def evidence_file_response(evidence: Evidence) -> FileResponse:
    """Serve an evidence file under its checked type, never sniffed, never cached publicly."""
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        content_type=evidence.content_type,
        as_attachment=evidence.content_type == Evidence.ContentType.PDF,
        filename=evidence.original_name,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


class RoundApplicationListApi(generics.ListAPIView):
    """A round's applications in the caller's scope; an employer admin applies with POST."""

    permission_classes = [ParticipantOrStaff]
    serializer_class = PilotApplicationOutput
    queryset = Application.objects.none()  # for the schema; get_queryset scopes the real one

    def get_permissions(self):
        if self.request.method == "POST":
            return [IsEmployerAdmin()]
        return super().get_permissions()

    def _round(self):
        return get_object_or_404(selectors.round_list(user=self.request.user), pk=self.kwargs["pk"])

    def get_queryset(self):
        applications = selectors.application_detail_list(user=self.request.user)
        return applications.filter(round=self._round()).order_by("submitted_at", "id")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "user": self.request.user}

    @extend_schema(request=PilotApplicationInput, responses={201: PilotApplicationOutput})
    def post(self, request, pk: int):
        round = self._round()
        employer = employer_actable_list(user=request.user).first()
        if employer is None:
            raise PermissionDenied
        data = PilotApplicationInput(data=request.data)
        data.is_valid(raise_exception=True)
        application = services.application_submit(
            round=round, employer=employer, actor=request.user, **data.validated_data
        )
        application = selectors.application_detail_list(user=request.user).get(pk=application.pk)
        return Response(
            PilotApplicationOutput(application, context={"user": request.user}).data, 201
        )


def _application(request, pk: int) -> Application:
    return get_object_or_404(selectors.application_detail_list(user=request.user), pk=pk)


class ApplicationDetailApi(APIView):
    """One application with its indicators; its result and reviews only when the caller may
    see them (union staff; the unit itself after publication)."""

    permission_classes = [ParticipantOrStaff]

    @extend_schema(responses=PilotApplicationOutput)
    def get(self, request, pk: int):
        return Response(
            PilotApplicationOutput(_application(request, pk), context={"user": request.user}).data
        )


class ApplicationWithdrawApi(APIView):
    """The unit withdraws its own application while the round is open."""

    permission_classes = [IsEmployerAdmin]

    @extend_schema(request=PilotReasonInput, responses=PilotApplicationOutput)
    def post(self, request, pk: int):
        application = _application(request, pk)
        data = PilotReasonInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.application_withdraw(
            application=application, actor=request.user, **data.validated_data
        )
        return Response(
            PilotApplicationOutput(_application(request, pk), context={"user": request.user}).data
        )


class ApplicationDisqualifyApi(APIView):
    """Union staff take a unit out (e.g. an upheld objection); the round is evaluated again."""

    permission_classes = [IsUnionStaff]

    @extend_schema(request=PilotRequiredReasonInput, responses=PilotApplicationOutput)
    def post(self, request, pk: int):
        application = _application(request, pk)
        data = PilotRequiredReasonInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.application_disqualify(
            application=application, actor=request.user, reason=data.validated_data["reason"]
        )
        return Response(
            PilotApplicationOutput(_application(request, pk), context={"user": request.user}).data
        )


class ApplicationEvidenceApi(generics.ListAPIView):
    """Evidence files of an application; the unit uploads (multipart: item, file, description)."""

    permission_classes = [ParticipantOrStaff]
    serializer_class = PilotEvidenceOutput
    parser_classes = [MultiPartParser, FormParser]
    queryset = Evidence.objects.none()

    def get_permissions(self):
        if self.request.method == "POST":
            return [IsEmployerAdmin()]
        return super().get_permissions()

    def get_queryset(self):
        application = _application(self.request, self.kwargs["pk"])
        return selectors.evidence_list(user=self.request.user).filter(application=application)

    @extend_schema(
        request={"multipart/form-data": PilotEvidenceInput}, responses={201: PilotEvidenceOutput}
    )
    def post(self, request, pk: int):
        application = _application(request, pk)
        data = PilotEvidenceInput(data=request.data)
        data.is_valid(raise_exception=True)
        item = RubricItem.objects.filter(
            pk=data.validated_data["item"], round_id=application.round_id
        ).first()
        if item is None:
            raise PilotError.for_field("item", _("Choose an item of this round's rubric."))
        evidence = services.evidence_add(
            application=application,
            item=item,
            upload=data.validated_data["file"],
            actor=request.user,
            description=data.validated_data.get("description", ""),
        )
        return Response(PilotEvidenceOutput(evidence).data, status=201)


class EvidenceDetailApi(APIView):
    permission_classes = [ParticipantOrStaff]

    def get_permissions(self):
        if self.request.method == "DELETE":
            return [IsEmployerAdmin()]
        return super().get_permissions()

    @extend_schema(responses=PilotEvidenceOutput)
    def get(self, request, pk: int):
        return Response(
            PilotEvidenceOutput(
                get_object_or_404(selectors.evidence_list(user=request.user), pk=pk)
            ).data
        )

    @extend_schema(responses={204: None})
    def delete(self, request, pk: int):
        evidence = get_object_or_404(selectors.evidence_list(user=request.user), pk=pk)
        services.evidence_remove(evidence=evidence, actor=request.user)
        return Response(status=204)


class EvidenceFileApi(APIView):
    """The file itself, for union staff, the unit's admins and its assigned reviewers."""

    permission_classes = [ParticipantOrStaff]

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)}
    )
    def get(self, request, pk: int):
        evidence = get_object_or_404(selectors.evidence_list(user=request.user), pk=pk)
        return evidence_file_response(evidence)
