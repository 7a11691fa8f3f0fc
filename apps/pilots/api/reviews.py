"""API for reviewer assignments and score sheets."""

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.permissions import IsReviewer, IsUnionStaff

from .. import selectors, services
from ..errors import PilotCode, PilotError
from ..models import ReviewerAssignment
from ..serializers import PilotAssignmentInput, PilotAssignmentOutput, PilotScoresInput
from .common import ReviewerOrStaff


class ApplicationAssignmentListApi(generics.ListAPIView):
    """Union staff list and add the reviewers of a unit (at least three; never one of its own)."""

    permission_classes = [IsUnionStaff]
    serializer_class = PilotAssignmentOutput
    queryset = ReviewerAssignment.objects.none()

    def _application(self):
        return get_object_or_404(
            selectors.application_list(user=self.request.user), pk=self.kwargs["pk"]
        )

    def get_queryset(self):
        return selectors.assignment_list(user=self.request.user).filter(
            application=self._application()
        )

    @extend_schema(request=PilotAssignmentInput, responses={201: PilotAssignmentOutput})
    def post(self, request, pk: int):
        application = self._application()
        data = PilotAssignmentInput(data=request.data)
        data.is_valid(raise_exception=True)
        reviewer = get_user_model().objects.filter(pk=data.validated_data["reviewer"]).first()
        if reviewer is None:
            raise PilotError.for_field(
                "reviewer", _("Choose an active reviewer account."), code=PilotCode.NOT_A_REVIEWER
            )
        assignment = services.assignment_create(
            application=application, reviewer=reviewer, actor=request.user
        )
        assignment = selectors.assignment_list(user=request.user).get(pk=assignment.pk)
        return Response(PilotAssignmentOutput(assignment).data, status=201)


class AssignmentListApi(generics.ListAPIView):
    """A reviewer's own assignments (union staff: all)."""

    permission_classes = [ReviewerOrStaff]
    serializer_class = PilotAssignmentOutput

    def get_queryset(self):
        return selectors.assignment_list(user=self.request.user).order_by("-assigned_at", "-id")


def _assignment(request, pk: int) -> ReviewerAssignment:
    return get_object_or_404(selectors.assignment_list(user=request.user), pk=pk)


class AssignmentDetailApi(APIView):
    permission_classes = [ReviewerOrStaff]

    def get_permissions(self):
        if self.request.method == "DELETE":
            return [IsUnionStaff()]
        return super().get_permissions()

    @extend_schema(responses=PilotAssignmentOutput)
    def get(self, request, pk: int):
        return Response(PilotAssignmentOutput(_assignment(request, pk)).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk: int):
        services.assignment_remove(assignment=_assignment(request, pk), actor=request.user)
        return Response(status=204)


class AssignmentScoresApi(APIView):
    """The assigned reviewer saves scores (some or all items) until they submit."""

    permission_classes = [IsReviewer]

    @extend_schema(request=PilotScoresInput, responses=PilotAssignmentOutput)
    def put(self, request, pk: int):
        assignment = _assignment(request, pk)
        data = PilotScoresInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.scores_save(
            assignment=assignment,
            actor=request.user,
            scores=data.validated_data["scores"],
            comment=data.validated_data.get("comment"),
        )
        return Response(PilotAssignmentOutput(_assignment(request, pk)).data)


class AssignmentSubmitApi(APIView):
    """Submit a complete sheet; it is locked from then on."""

    permission_classes = [IsReviewer]

    @extend_schema(request=None, responses=PilotAssignmentOutput)
    def post(self, request, pk: int):
        services.assignment_submit(assignment=_assignment(request, pk), actor=request.user)
        return Response(PilotAssignmentOutput(_assignment(request, pk)).data)
