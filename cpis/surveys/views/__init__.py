"""The staff pages of the perception surveys, one module per area."""
