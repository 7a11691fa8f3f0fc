from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.models import Role
from apps.accounts.permissions import IsUnionStaff
from apps.employers.models import Employer
from apps.members.models import Union

from .. import selectors, services
from ..errors import WelfareError
from ..models import CareClass, CareClassAttendance, CareClassEnrolment
from ..serializers import (
    AttendanceInput,
    AttendanceRow,
    CareClassInput,
    CareClassOutput,
    EnrolmentInput,
    EnrolmentOutput,
    RecognitionInput,
    child_label,
)
from .common import STAFF_OR_EMPLOYER, is_staff, own_employer, roles_by_method

READERS = (Role.UNION_STAFF, Role.EMPLOYER_ADMIN, Role.PARENT)


class CareClassListApi(generics.ListAPIView):
    """Classes (GET): parents see open ones, employer admins their own, union staff all.
    Create one (POST): union staff for a union or an employer, an employer admin for its own."""

    permission_classes = [roles_by_method(read=READERS, write=STAFF_OR_EMPLOYER)]
    serializer_class = CareClassOutput

    def get_queryset(self):
        return selectors.care_class_list(user=self.request.user)

    @extend_schema(request=CareClassInput, responses={201: CareClassOutput})
    def post(self, request):
        data = CareClassInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        make_open = fields.pop("open")
        sessions = [dict(session) for session in fields.pop("sessions", [])]
        organiser = self._organiser(request.user, fields)
        care_class = services.care_class_create(
            actor=request.user, sessions=sessions, **organiser, **fields
        )
        if make_open:
            services.care_class_set_status(
                care_class=care_class, status=CareClass.Status.OPEN, actor=request.user
            )
        care_class = selectors.care_class_list(user=request.user).get(pk=care_class.pk)
        return Response(CareClassOutput(care_class).data, status=status.HTTP_201_CREATED)

    def _organiser(self, user, fields: dict) -> dict:
        union_id = fields.pop("organiser_union", None)
        employer_id = fields.pop("organiser_employer", None)
        if not is_staff(user):
            return {"organiser_employer": own_employer(user)}
        if union_id is not None and employer_id is None:
            union = Union.objects.filter(pk=union_id).first()
            if union:
                return {"organiser_union": union}
        if employer_id is not None and union_id is None:
            employer = Employer.objects.filter(pk=employer_id).first()
            if employer:
                return {"organiser_employer": employer}
        raise WelfareError.for_field(
            "organiser_union", _("Give one existing organiser: a union or an employer.")
        )


class CareClassDetailApi(generics.RetrieveAPIView):
    permission_classes = [roles_by_method(read=READERS, write=())]
    serializer_class = CareClassOutput

    def get_queryset(self):
        return selectors.care_class_list(user=self.request.user)


class _CareClassStatusApi(APIView):
    permission_classes = [roles_by_method(read=(), write=STAFF_OR_EMPLOYER)]
    status = ""

    @extend_schema(request=None, responses=CareClassOutput)
    def post(self, request, pk: int):
        care_class = get_object_or_404(selectors.care_class_managed_list(user=request.user), pk=pk)
        services.care_class_set_status(
            care_class=care_class, status=self.status, actor=request.user
        )
        care_class = selectors.care_class_list(user=request.user).get(pk=pk)
        return Response(CareClassOutput(care_class).data)


class CareClassOpenApi(_CareClassStatusApi):
    """Open a class for enrolment (it needs a session): union staff or the organiser's admin."""

    status = CareClass.Status.OPEN


class CareClassCloseApi(_CareClassStatusApi):
    """Close a class to new enrolments: union staff or the organiser's admin."""

    status = CareClass.Status.CLOSED


class CareClassRecognitionApi(APIView):
    """Mark a class recognised by the Qian'an or Tangshan federation (union staff)."""

    permission_classes = [IsUnionStaff]

    @extend_schema(request=RecognitionInput, responses=CareClassOutput)
    def post(self, request, pk: int):
        care_class = get_object_or_404(selectors.care_class_managed_list(user=request.user), pk=pk)
        data = RecognitionInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.care_class_recognise(
            care_class=care_class, actor=request.user, **data.validated_data
        )
        care_class = selectors.care_class_list(user=request.user).get(pk=pk)
        return Response(CareClassOutput(care_class).data)


def _visible_class(request, pk: int):
    """A class the user can see or keeps; anything else is a 404."""
    visible = selectors.care_class_list(user=request.user).prefetch_related(None)
    visible = visible.filter(pk=pk).first()
    return visible or get_object_or_404(selectors.care_class_managed_list(user=request.user), pk=pk)


class CareClassEnrolmentListApi(generics.ListAPIView):
    """Enrolments (GET): a parent's own children, or all for the class's keepers.
    Enrol a child (POST, parents): full classes answer 409 with code "class_full"."""

    permission_classes = [roles_by_method(read=READERS, write=(Role.PARENT,))]
    serializer_class = EnrolmentOutput

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CareClassEnrolment.objects.none()
        care_class = _visible_class(self.request, self.kwargs["pk"])
        return selectors.care_class_enrolment_list(user=self.request.user, care_class=care_class)

    @extend_schema(request=EnrolmentInput, responses={201: EnrolmentOutput})
    def post(self, request, pk: int):
        care_class = get_object_or_404(selectors.care_class_list(user=request.user), pk=pk)
        data = EnrolmentInput(data=request.data)
        data.is_valid(raise_exception=True)
        child = (
            selectors.guardian_child_list(user=request.user)
            .filter(pk=data.validated_data["child"])
            .first()
        )
        if child is None:
            raise WelfareError.for_field("child", _("You have no child with this id."))
        enrolment = services.care_class_enrol(
            care_class=care_class, child=child, guardian=request.user.member, actor=request.user
        )
        return Response(
            EnrolmentOutput(enrolment, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class CareClassEnrolmentCancelApi(APIView):
    """Cancel an enrolment and free its place: the child's guardian or the class's keepers."""

    permission_classes = [roles_by_method(read=(), write=READERS)]

    @extend_schema(request=None, responses=EnrolmentOutput)
    def post(self, request, pk: int, enrolment_pk: int):
        care_class = _visible_class(request, pk)
        enrolments = selectors.care_class_enrolment_list(user=request.user, care_class=care_class)
        enrolment = get_object_or_404(enrolments, pk=enrolment_pk)
        enrolment = services.care_class_enrolment_cancel(enrolment=enrolment, actor=request.user)
        return Response(EnrolmentOutput(enrolment, context={"request": request}).data)


class CareClassAttendanceApi(APIView):
    """A session's roll (GET) and marking it (PUT): union staff or the organising employer."""

    permission_classes = [roles_by_method(read=STAFF_OR_EMPLOYER, write=STAFF_OR_EMPLOYER)]

    def _session(self, request, pk: int, session_pk: int):
        care_class = get_object_or_404(selectors.care_class_managed_list(user=request.user), pk=pk)
        return get_object_or_404(care_class.sessions.all(), pk=session_pk)

    def _roll(self, request, session) -> list[dict]:
        marks = CareClassAttendance.objects.filter(session=session)
        enrolments = (
            CareClassEnrolment.objects.filter(
                care_class_id=session.care_class_id, status=CareClassEnrolment.Status.ENROLLED
            )
            .select_related("child")
            .prefetch_related(Prefetch("attendance", queryset=marks, to_attr="marks"))
            .order_by("id")
        )
        return [
            {
                "enrolment": enrolment.pk,
                "child_name": child_label(enrolment.child, request.user),
                "present": enrolment.marks[0].present if enrolment.marks else None,
            }
            for enrolment in enrolments
        ]

    @extend_schema(responses=AttendanceRow(many=True))
    def get(self, request, pk: int, session_pk: int):
        session = self._session(request, pk, session_pk)
        return Response(AttendanceRow(self._roll(request, session), many=True).data)

    @extend_schema(request=AttendanceInput, responses=AttendanceRow(many=True))
    def put(self, request, pk: int, session_pk: int):
        session = self._session(request, pk, session_pk)
        data = AttendanceInput(data=request.data)
        data.is_valid(raise_exception=True)
        marks = {mark["enrolment"]: mark["present"] for mark in data.validated_data["marks"]}
        services.care_class_attendance_record(session=session, marks=marks, actor=request.user)
        return Response(AttendanceRow(self._roll(request, session), many=True).data)
