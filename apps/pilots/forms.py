from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError

from .services.publicity import REASON_MAX_LENGTH


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's refusal on the form, on the fields it names."""
    if not error.fields:
        form.add_error(None, error.message)
    for field, messages in error.fields.items():
        # The services name a sheet's items "scores.<item id>"; the form calls them score_<id>.
        name = f"score_{field.split('.', 1)[1]}" if field.startswith("scores.") else field
        form.add_error(name if name in form.fields else None, messages)


class ObjectionForm(forms.Form):
    """An objection with the objector's real name, a contact and the reason."""

    application = forms.TypedChoiceField(
        label=_("Unit objected to"), coerce=int, required=False, empty_value=None
    )
    full_name = forms.CharField(label=_("Your real name"), max_length=50)
    contact = forms.CharField(
        label=_("How we can reach you"),
        max_length=100,
        help_text=_("A mobile number, a landline or an email. It is never published."),
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=REASON_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].choices = [("", _("The selection as a whole"))] + [
            (result.application_id, result.application.employer.name) for result in units
        ]


class ScoreSheetForm(forms.Form):
    """One score (0 to the item's maximum) and an optional comment per rubric item."""

    comment = forms.CharField(
        label=_("Overall comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, items=(), scores=None, assignment_comment="", **kwargs):
        super().__init__(*args, **kwargs)
        scores = scores or {}
        self.items = list(items)
        self.fields["comment"].initial = assignment_comment
        for item in self.items:
            current = scores.get(item.pk)
            self.fields[f"score_{item.pk}"] = forms.DecimalField(
                label=item.title,
                required=False,
                min_value=Decimal(0),
                max_value=item.max_score,
                max_digits=5,
                decimal_places=2,
                initial=current.score if current else None,
                widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
            )
            self.fields[f"comment_{item.pk}"] = forms.CharField(
                label=_("Comment"),
                required=False,
                max_length=2000,
                initial=current.comment if current else "",
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def score_entries(self) -> list[dict]:
        return [
            {
                "item": item.pk,
                "score": self.cleaned_data[f"score_{item.pk}"],
                "comment": self.cleaned_data.get(f"comment_{item.pk}", ""),
            }
            for item in self.items
            if self.cleaned_data.get(f"score_{item.pk}") is not None
        ]
