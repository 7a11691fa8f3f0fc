import time

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator

from apps.core.ratelimit import rate_limit

from .forms import GuardedAuthenticationForm
from .middleware import LOGIN_AT


@method_decorator(rate_limit("login", limit=30, period=60), name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    form_class = GuardedAuthenticationForm

    def form_valid(self, form):
        response = super().form_valid(form)  # login() gives the session a new id
        self.request.session[LOGIN_AT] = int(time.time())
        return response


class LogoutView(auth_views.LogoutView):
    pass


# Each reset request sends an email: a few an hour per address stops mail bombing and probing.
@method_decorator(rate_limit("password-reset", limit=5, period=60 * 60), name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    """Asks for the account's email address; the answer is the same whether or not an account
    has it, so the page cannot be used to find out who is registered."""

    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


@method_decorator(rate_limit("password-reset-confirm", limit=10, period=60 * 60), name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@login_required
def home(request):
    """Send a signed-in user to their own portal."""
    return redirect(request.user.home_url)
