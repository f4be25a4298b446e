from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    """A code from an authenticator app or a recovery code."""

    code = forms.CharField(
        label=_("One-time code"),
        max_length=32,
        help_text=_("The six-digit code your authenticator app shows now, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "none"}),
    )


class AppCodeForm(CodeForm):
    """The first code of an authenticator app being set up."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["code"].help_text = _("The six-digit code the app shows now.")
        self.fields["code"].widget.attrs["inputmode"] = "numeric"
