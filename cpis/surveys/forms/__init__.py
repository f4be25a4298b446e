"""The perception surveys' forms, one module per area (`from ..forms.responses import …`)."""
