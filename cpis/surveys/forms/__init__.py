"""The surveys app's forms, one module per area (`from ..forms.waves import …`)."""
