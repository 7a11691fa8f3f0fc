import time

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
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


@login_required
def home(request):
    """Send a signed-in user to their own portal."""
    return redirect(request.user.home_url)
