from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.permissions import IsUnionStaff
from apps.employers.models import Employer
from apps.members.models import Union

from .. import selectors, services
from ..errors import WelfareError
from ..models import MotherRoomInspection
from ..serializers import (
    InspectionInput,
    InspectionOutput,
    ManagedRoomOutput,
    PublicRoomOutput,
    PublicRoomQuery,
    RoomApproveInput,
    RoomLevelInput,
    RoomProposalInput,
    RoomRefuseInput,
)
from .common import STAFF_OR_EMPLOYER, is_staff, own_employer, roles_by_method


class MotherRoomPublicListApi(generics.ListAPIView):
    """Approved public-version rooms: filter by area, function and distance from a point."""

    # Public and read only; without authentication a stale token cannot turn it into a 401.
    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    serializer_class = PublicRoomOutput

    @extend_schema(parameters=[PublicRoomQuery], auth=[])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        query = PublicRoomQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.mother_room_public_list(**query.selector_kwargs())


class MotherRoomPublicDetailApi(generics.RetrieveAPIView):
    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    serializer_class = PublicRoomOutput

    @extend_schema(auth=[])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.mother_room_public_list()


class MotherRoomProposalListApi(generics.ListAPIView):
    """Rooms the user manages (GET); propose a room (POST): an employer admin for their employer,
    union staff for a union or an employer."""

    permission_classes = [roles_by_method(read=STAFF_OR_EMPLOYER, write=STAFF_OR_EMPLOYER)]
    serializer_class = ManagedRoomOutput

    def get_queryset(self):
        return selectors.mother_room_list(user=self.request.user).order_by("-created_at", "-id")

    @extend_schema(request=RoomProposalInput, responses={201: ManagedRoomOutput})
    def post(self, request):
        data = RoomProposalInput(data=request.data)
        data.is_valid(raise_exception=True)
        room = services.mother_room_propose(
            actor=request.user, **self._host(request.user, data), **data.service_fields()
        )
        return Response(ManagedRoomOutput(room).data, status=status.HTTP_201_CREATED)

    def _host(self, user, data) -> dict:
        if not is_staff(user):
            return {"host_employer": own_employer(user)}
        union_id = data.validated_data.get("host_union")
        employer_id = data.validated_data.get("host_employer")
        if (union_id is None) == (employer_id is None):
            raise WelfareError.for_field(
                "host_union", _("Give either a host union or a host employer.")
            )
        if union_id is not None:
            return {"host_union": _get_or_field(Union, union_id, "host_union")}
        return {"host_employer": _get_or_field(Employer, employer_id, "host_employer")}


def _get_or_field(model, pk: int, field: str):
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise WelfareError.for_field(
            field, _("No %(model)s with id %(pk)d.") % {"model": model._meta.verbose_name, "pk": pk}
        )
    return found


class _StaffRoomApi(APIView):
    permission_classes = [IsUnionStaff]

    def room(self, request, pk: int):
        return get_object_or_404(selectors.mother_room_list(user=request.user), pk=pk)


class MotherRoomApproveApi(_StaffRoomApi):
    @extend_schema(request=RoomApproveInput, responses=ManagedRoomOutput)
    def post(self, request, pk: int):
        room = self.room(request, pk)
        data = RoomApproveInput(data=request.data)
        data.is_valid(raise_exception=True)
        room = services.mother_room_approve(room=room, actor=request.user, **data.validated_data)
        return Response(ManagedRoomOutput(self.room(request, room.pk)).data)


class MotherRoomRefuseApi(_StaffRoomApi):
    @extend_schema(request=RoomRefuseInput, responses=ManagedRoomOutput)
    def post(self, request, pk: int):
        room = self.room(request, pk)
        data = RoomRefuseInput(data=request.data)
        data.is_valid(raise_exception=True)
        room = services.mother_room_refuse(room=room, actor=request.user, **data.validated_data)
        return Response(ManagedRoomOutput(self.room(request, room.pk)).data)


class MotherRoomLevelApi(_StaffRoomApi):
    @extend_schema(request=RoomLevelInput, responses=ManagedRoomOutput)
    def post(self, request, pk: int):
        room = self.room(request, pk)
        data = RoomLevelInput(data=request.data)
        data.is_valid(raise_exception=True)
        room = services.mother_room_set_level(room=room, actor=request.user, **data.validated_data)
        return Response(ManagedRoomOutput(self.room(request, room.pk)).data)


class MotherRoomInspectionApi(generics.ListAPIView, _StaffRoomApi):
    """A room's inspections (GET); record one (POST), which may lower or withdraw its level."""

    permission_classes = [IsUnionStaff]
    serializer_class = InspectionOutput

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return MotherRoomInspection.objects.none()
        return self.room(self.request, self.kwargs["pk"]).inspections.all()

    @extend_schema(request=InspectionInput, responses={201: InspectionOutput})
    def post(self, request, pk: int):
        room = self.room(request, pk)
        data = InspectionInput(data=request.data)
        data.is_valid(raise_exception=True)
        inspection = services.mother_room_inspect(
            room=room, actor=request.user, **data.validated_data
        )
        return Response(InspectionOutput(inspection).data, status=status.HTTP_201_CREATED)
