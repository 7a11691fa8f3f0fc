"""What every admissions page shares: the role gate and turning refusals into messages."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from apps.core.errors import DomainError

PER_PAGE = 30


def role_required(*roles: str) -> Callable:
    """Signed in with one of `roles`, else the sign-in page (anonymous) or 403."""

    def decorate(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_active or request.user.role not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def act(request, action: Callable[[], object], *, success: str, back: str):
    """Run a service; a refusal becomes an error message. Either way, back to the list."""
    try:
        action()
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect(back)


def form_errors(form) -> str:
    return " ".join(str(message) for errors in form.errors.values() for message in errors)
