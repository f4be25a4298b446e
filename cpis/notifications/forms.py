"""The preferences form: one choice of mode per kind the person can receive."""

from typing import Any

from django import forms

from .models import Kind, Mode


class PreferencesForm(forms.Form):
    def __init__(self, *args: Any, current: list[tuple[Kind, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind, mode in current:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label, choices=Mode.choices, initial=mode, widget=forms.RadioSelect
            )

    def modes(self) -> dict[str, str]:
        return {name: str(value) for name, value in self.cleaned_data.items()}
