import time

from django.conf import settings
from django.contrib.auth import logout

LOGIN_AT = "login_at"
RENEWED_AT = "renewed_at"


def session_started(sender, request, user, **kwargs) -> None:
    """On sign-in (`user_logged_in`): the session's lifetime and its renewal start now, saved
    with the sign-in itself rather than by the next request."""
    if request is not None and hasattr(request, "session"):
        request.session[LOGIN_AT] = request.session[RENEWED_AT] = int(time.time())


class SessionLifetimeMiddleware:
    """End a session 12 hours after sign-in, however active it was; keep an active one alive.

    Idle expiry is the session's own (30 minutes from its last save). Saving it on every request
    would cost every page a write; an active session is renewed at most once a minute instead
    (SESSION_RENEW_SECONDS), so it ends between 29 and 30 idle minutes after the last request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.setdefault(LOGIN_AT, int(time.time()))
            if time.time() - started > settings.SESSION_MAX_LIFETIME_SECONDS:
                logout(request)
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty() and request.user.is_authenticated:
            now = int(time.time())
            if now - session.get(RENEWED_AT, 0) >= settings.SESSION_RENEW_SECONDS:
                session[RENEWED_AT] = now  # modified: the session middleware saves it
        return response
