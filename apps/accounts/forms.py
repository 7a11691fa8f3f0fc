from django import forms
from django.contrib.auth.forms import AuthenticationForm

from apps.core.errors import DomainError

from .security import authenticate_guarded


class GuardedAuthenticationForm(AuthenticationForm):
    """Django's sign-in form with the lockout rules in front of the password check."""

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = authenticate_guarded(
                    request=self.request, username=username, password=password
                )
            except DomainError as error:
                raise forms.ValidationError(error.message, code=error.code) from None
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data
