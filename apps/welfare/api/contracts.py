from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, parsers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.permissions import IsUnionStaff
from apps.employers.models import Employer

from .. import selectors, services
from ..errors import WelfareError
from ..models import StatutoryFloor
from ..serializers import (
    ContractInput,
    ContractOutput,
    FileInput,
    MissingEmployerOutput,
    StatutoryFloorOutput,
)
from ..services.contracts import CONTENT_TYPES
from .common import STAFF_OR_EMPLOYER, is_staff, own_employer, roles_by_method

PARSERS = [parsers.JSONParser, parsers.MultiPartParser, parsers.FormParser]


class CollectiveContractListApi(generics.ListAPIView):
    """Contracts (GET): an employer admin sees its own, union staff all. Record one (POST,
    JSON or multipart with `signed_file`): omitted provisions take the statutory floors."""

    permission_classes = [roles_by_method(read=STAFF_OR_EMPLOYER, write=STAFF_OR_EMPLOYER)]
    parser_classes = PARSERS
    serializer_class = ContractOutput

    def get_queryset(self):
        return selectors.collective_contract_list(user=self.request.user)

    @extend_schema(request=ContractInput, responses={201: ContractOutput})
    def post(self, request):
        data = ContractInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        employer_id = fields.pop("employer", None)
        if is_staff(request.user):
            employer = Employer.objects.filter(pk=employer_id).first() if employer_id else None
            if employer is None:
                raise WelfareError.for_field("employer", _("Choose an existing employer."))
        else:
            employer = own_employer(request.user)
        contract = services.collective_contract_create(
            employer=employer, actor=request.user, **fields
        )
        return Response(ContractOutput(contract).data, status=status.HTTP_201_CREATED)


class CollectiveContractDetailApi(generics.RetrieveAPIView):
    permission_classes = [roles_by_method(read=STAFF_OR_EMPLOYER, write=())]
    serializer_class = ContractOutput

    def get_queryset(self):
        return selectors.collective_contract_list(user=self.request.user)


class CollectiveContractFileApi(APIView):
    """The signed file: download (GET) or attach/replace (POST, multipart `signed_file`).
    Only union staff and the employer's own admins reach it; the file is never public."""

    permission_classes = [roles_by_method(read=STAFF_OR_EMPLOYER, write=STAFF_OR_EMPLOYER)]
    parser_classes = [parsers.MultiPartParser, parsers.FormParser]

    def _contract(self, request, pk: int):
        return get_object_or_404(selectors.collective_contract_list(user=request.user), pk=pk)

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
            (200, "image/png"): OpenApiResponse(OpenApiTypes.BINARY),
            (200, "image/jpeg"): OpenApiResponse(OpenApiTypes.BINARY),
        }
    )
    def get(self, request, pk: int):
        contract = self._contract(request, pk)
        if not contract.signed_file:
            raise WelfareError(
                _("No signed file has been uploaded."), code="not_found", status_code=404
            )
        extension = contract.signed_file_type
        response = FileResponse(
            contract.signed_file.open("rb"),
            as_attachment=True,
            filename=f"collective-contract-{contract.pk}.{extension}",
            content_type=CONTENT_TYPES[extension],
        )
        response["Cache-Control"] = "private, no-store"
        return response

    @extend_schema(request=FileInput, responses=ContractOutput)
    def post(self, request, pk: int):
        contract = self._contract(request, pk)
        data = FileInput(data=request.data)
        data.is_valid(raise_exception=True)
        contract = services.collective_contract_attach_file(
            contract=contract, upload=data.validated_data["signed_file"], actor=request.user
        )
        return Response(ContractOutput(contract).data)


class CollectiveContractExpiringApi(generics.ListAPIView):
    """Contracts ending within 90 days (today included) with no later contract signed."""

    permission_classes = [IsUnionStaff]
    serializer_class = ContractOutput

    def get_queryset(self):
        return selectors.collective_contract_expiring_list(today=timezone.localdate())


class CollectiveContractMissingApi(generics.ListAPIView):
    """Approved employers with no contract in force or signed for later."""

    permission_classes = [IsUnionStaff]
    serializer_class = MissingEmployerOutput

    def get_queryset(self):
        return selectors.employer_without_contract_list(today=timezone.localdate())


class StatutoryFloorListApi(generics.ListAPIView):
    """The floors contract provisions are checked against; they are also the defaults."""

    permission_classes = [roles_by_method(read=STAFF_OR_EMPLOYER, write=())]
    serializer_class = StatutoryFloorOutput
    pagination_class = None

    def get_queryset(self):
        return StatutoryFloor.objects.all()
