"""`GET /api/v1/reports/`: the dashboard's figures as JSON, scoped to the caller's organisation."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.models import Role
from apps.accounts.permissions import role_permission

from . import selectors
from .filters import FiguresQuery
from .selectors.scopes import Kind, Scope
from .serializers import ReportFiguresOutput


class FiguresApi(APIView):
    """Union staff get the city's figures (filter by `area` or `union`); an employer admin their
    employer's, a centre admin their centre's (`area` and `union` do not widen those)."""

    permission_classes = [role_permission(Role.UNION_STAFF, Role.EMPLOYER_ADMIN, Role.CENTRE_ADMIN)]

    @extend_schema(parameters=[FiguresQuery], responses={200: ReportFiguresOutput})
    def get(self, request):
        query = FiguresQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = query.filters()
        scope = selectors.scope_for_user(request.user)
        if scope is None:
            raise PermissionDenied(_("Your organisation is not approved yet."))
        if scope.kind == Kind.CITY:
            scope = Scope.city(area=filters.area, union=filters.union)
        figures = selectors.scope_figures(scope=scope, period=filters.period)
        return Response(ReportFiguresOutput(figures).data)
