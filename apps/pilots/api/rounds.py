"""API for rounds: the rubric, the state changes union staff drive, results and objections."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.permissions import IsUnionStaff

from .. import selectors, services
from ..models import EvaluationRound, Objection, UnitResult
from ..serializers import (
    PilotDecisionInput,
    PilotObjectionOutput,
    PilotObjectionResolveInput,
    PilotPublicityInput,
    PilotResultOutput,
    PilotRoundCreateInput,
    PilotRoundDetailOutput,
    PilotRoundOutput,
    PilotRoundUpdateInput,
    PilotRubricInput,
    PilotRubricOutput,
)
from .common import AnySignedInRole


def _round(request, pk: int) -> EvaluationRound:
    return get_object_or_404(selectors.with_rubric(selectors.round_list(user=request.user)), pk=pk)


class RoundListApi(generics.ListAPIView):
    """Rounds: union staff see drafts too; everyone else signed in sees the rest."""

    permission_classes = [AnySignedInRole]
    serializer_class = PilotRoundOutput

    def get_queryset(self):
        return selectors.round_list(user=self.request.user)

    def get_permissions(self):
        if self.request.method == "POST":
            return [IsUnionStaff()]
        return super().get_permissions()

    @extend_schema(request=PilotRoundCreateInput, responses={201: PilotRoundDetailOutput})
    def post(self, request):
        data = PilotRoundCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        round = services.round_create(actor=request.user, **data.validated_data)
        return Response(PilotRoundDetailOutput(_round(request, round.pk)).data, status=201)


class RoundDetailApi(APIView):
    permission_classes = [AnySignedInRole]

    def get_permissions(self):
        if self.request.method == "PATCH":
            return [IsUnionStaff()]
        return super().get_permissions()

    @extend_schema(responses=PilotRoundDetailOutput)
    def get(self, request, pk: int):
        return Response(PilotRoundDetailOutput(_round(request, pk)).data)

    @extend_schema(request=PilotRoundUpdateInput, responses=PilotRoundDetailOutput)
    def patch(self, request, pk: int):
        round = _round(request, pk)
        data = PilotRoundUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.round_update(round=round, actor=request.user, **data.validated_data)
        return Response(PilotRoundDetailOutput(_round(request, pk)).data)


class RubricApi(APIView):
    """The round's rubric; union staff replace it whole until scoring opens (then 409)."""

    permission_classes = [AnySignedInRole]

    def get_permissions(self):
        if self.request.method == "PUT":
            return [IsUnionStaff()]
        return super().get_permissions()

    @extend_schema(responses=PilotRubricOutput)
    def get(self, request, pk: int):
        return Response(PilotRubricOutput(_round(request, pk)).data)

    @extend_schema(request=PilotRubricInput, responses=PilotRubricOutput)
    def put(self, request, pk: int):
        round = _round(request, pk)
        data = PilotRubricInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.rubric_replace(
            round=round, actor=request.user, dimensions=data.validated_data["dimensions"]
        )
        return Response(PilotRubricOutput(_round(request, pk)).data)


class _RoundActionApi(APIView):
    permission_classes = [IsUnionStaff]

    def act(self, request, round: EvaluationRound) -> None:
        raise NotImplementedError

    def post(self, request, pk: int):
        self.act(request, _round(request, pk))
        return Response(PilotRoundDetailOutput(_round(request, pk)).data)


class RoundOpenApplicationsApi(_RoundActionApi):
    """draft → open for applications."""

    permission_classes = [IsUnionStaff]

    def act(self, request, round):
        services.round_open_applications(round=round, actor=request.user)

    @extend_schema(request=None, responses=PilotRoundDetailOutput)
    def post(self, request, pk: int):
        return super().post(request, pk)


class RoundOpenScoringApi(_RoundActionApi):
    """open → scoring: the rubric is frozen (weights must add up to 100)."""

    permission_classes = [IsUnionStaff]

    def act(self, request, round):
        services.round_open_scoring(round=round, actor=request.user)

    @extend_schema(request=None, responses=PilotRoundDetailOutput)
    def post(self, request, pk: int):
        return super().post(request, pk)


class RoundStartPublicityApi(_RoundActionApi):
    """evaluated → publicity, for five working days from `start` (default today)."""

    permission_classes = [IsUnionStaff]

    def act(self, request, round):
        data = PilotPublicityInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.round_publicity_start(
            round=round, actor=request.user, start=data.validated_data.get("start")
        )

    @extend_schema(request=PilotPublicityInput, responses=PilotRoundDetailOutput)
    def post(self, request, pk: int):
        return super().post(request, pk)


class RoundPublishApi(_RoundActionApi):
    """publicity → published, once the period is over and every objection is resolved."""

    permission_classes = [IsUnionStaff]

    def act(self, request, round):
        services.round_publish(round=round, actor=request.user)

    @extend_schema(request=None, responses=PilotRoundDetailOutput)
    def post(self, request, pk: int):
        return super().post(request, pk)


class RoundEvaluateApi(APIView):
    """Queue the evaluation on the workers; follow it by the round's status and `evaluated_at`."""

    permission_classes = [IsUnionStaff]

    @extend_schema(
        request=None,
        responses={
            202: inline_serializer("PilotEvaluationQueued", {"task_id": serializers.CharField()})
        },
    )
    def post(self, request, pk: int):
        task_id = services.round_evaluation_request(round=_round(request, pk), actor=request.user)
        return Response({"task_id": task_id}, status=status.HTTP_202_ACCEPTED)


class RoundResultListApi(generics.ListAPIView):
    """A round's ranked results: union staff once evaluated; everyone else once published."""

    permission_classes = [AnySignedInRole]
    serializer_class = PilotResultOutput
    queryset = UnitResult.objects.none()  # for the schema; get_queryset scopes the real one

    def get_queryset(self):
        round = get_object_or_404(
            selectors.results_round_list(user=self.request.user), pk=self.kwargs["pk"]
        )
        return selectors.result_list(user=self.request.user).filter(round=round).order_by("rank")


class RoundObjectionListApi(generics.ListAPIView):
    permission_classes = [IsUnionStaff]
    serializer_class = PilotObjectionOutput
    queryset = Objection.objects.none()

    def get_queryset(self):
        round = get_object_or_404(
            selectors.round_list(user=self.request.user), pk=self.kwargs["pk"]
        )
        return selectors.objection_list(user=self.request.user).filter(round=round)


class ObjectionResolveApi(APIView):
    permission_classes = [IsUnionStaff]

    @extend_schema(request=PilotObjectionResolveInput, responses=PilotObjectionOutput)
    def post(self, request, pk: int):
        objection = get_object_or_404(selectors.objection_list(user=request.user), pk=pk)
        data = PilotObjectionResolveInput(data=request.data)
        data.is_valid(raise_exception=True)
        objection = services.objection_resolve(
            objection=objection, actor=request.user, **data.validated_data
        )
        return Response(PilotObjectionOutput(objection).data)


class ResultDecisionApi(APIView):
    """Record Tangshan's or Hebei's approval (or not) of a nominated unit, with its date."""

    permission_classes = [IsUnionStaff]

    @extend_schema(
        request=PilotDecisionInput,
        responses={200: PilotResultOutput, 409: OpenApiResponse(description="not a nomination")},
    )
    def post(self, request, pk: int):
        result = get_object_or_404(selectors.result_list(user=request.user), pk=pk)
        data = PilotDecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.result_record_decision(
            result=result, actor=request.user, **data.validated_data
        )
        return Response(PilotResultOutput(result).data)
