"""Portal forms: the parent's application (with its preview step), reasons and end dates."""

import uuid
from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.centres.models import AgeClass, Centre, RegistrationStatus
from apps.employers.pricing import format_month, month_start, next_month, parse_month
from apps.employers.selectors.programmes import programme_open_list
from apps.members.models import Member
from apps.members.selectors import child_list

MONTHS_OFFERED = 12


def start_month_choices(today: date | None = None) -> list[tuple[str, str]]:
    month = month_start(today or timezone.localdate())
    choices = []
    for _index in range(MONTHS_OFFERED):
        month = next_month(month)
        choices.append((format_month(month), format_month(month)))
    return choices


class ApplyForm(forms.Form):
    """Child, programme, centre, age class and start month; the service checks the rest."""

    child = forms.ModelChoiceField(queryset=None, label=_("Child"))
    programme = forms.ModelChoiceField(queryset=None, label=_("Programme"))
    centre = forms.ModelChoiceField(queryset=None, label=_("Centre"))
    age_class = forms.ChoiceField(choices=AgeClass.choices, label=_("Age class"))
    start_month = forms.ChoiceField(choices=(), label=_("Start month"))
    shift_worker = forms.BooleanField(
        required=False,
        label=_("I work shifts"),
        help_text=_("Shift workers may come first in line; your employer can check it."),
    )
    # One-time token: a second submit of the same page replays the first result.
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, member: Member | None, **kwargs):
        super().__init__(*args, **kwargs)
        # The children alone (not their guardians): the choice shows each child's name.
        children = child_list(user=user).filter(anonymised_at__isnull=True)
        self.fields["child"].queryset = children.prefetch_related(None)
        self.fields["start_month"].choices = start_month_choices()
        programmes = programme_open_list(member=member, month=next_month(timezone.localdate()))
        self.fields["programme"].queryset = programmes.order_by("name", "id")
        self.fields["centre"].queryset = (
            Centre.objects.filter(programmes__in=programmes, status=RegistrationStatus.APPROVED)
            .distinct()
            .order_by("name", "id")
        )

    def clean_start_month(self) -> date:
        return parse_month(self.cleaned_data["start_month"])

    @staticmethod
    def new_token() -> str:
        return uuid.uuid4().hex


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class RequiredReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class EndForm(forms.Form):
    end_date = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
