import time

from django.conf import settings
from django.contrib.auth import logout

LOGIN_AT = "login_at"


class SessionLifetimeMiddleware:
    """End a session 12 hours after sign-in, however active it was (idle expiry is the cookie's)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.setdefault(LOGIN_AT, int(time.time()))
            if time.time() - started > settings.SESSION_MAX_LIFETIME_SECONDS:
                logout(request)
        return self.get_response(request)
