from drf_spectacular.utils import extend_schema
from rest_framework import parsers, permissions, serializers
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.ratelimit import ScopeRateThrottle

from .models import User
from .security import authenticate_guarded


class TokenInput(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenOutput(serializers.Serializer):
    token = serializers.CharField()


class TokenObtainApi(APIView):
    """Exchange a username and password for an API token."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    parser_classes = [parsers.JSONParser, parsers.FormParser, parsers.MultiPartParser]
    throttle_classes = [ScopeRateThrottle]
    throttle_scope = "auth-token"
    throttle_limit = 30

    @extend_schema(request=TokenInput, responses=TokenOutput, auth=[])
    def post(self, request):
        serializer = TokenInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate_guarded(request=request, **serializer.validated_data)
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class MeOutput(serializers.ModelSerializer):
    display_name = serializers.CharField(read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "role", "role_label", "language"]


class MeApi(APIView):
    """The signed-in account: who I am and which portal is mine."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=MeOutput)
    def get(self, request):
        return Response(MeOutput(request.user).data)
