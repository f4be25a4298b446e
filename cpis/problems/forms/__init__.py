"""The problems app's forms, one module per area (`from ..forms.problems import …`)."""
