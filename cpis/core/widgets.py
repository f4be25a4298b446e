"""Form widgets every app uses: the browser's own date and month pickers.
Their value is always ISO (YYYY-MM-DD, YYYY-MM), which is what <input
type="date"> needs whatever the page's language."""

from typing import Any

from django import forms


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m")
