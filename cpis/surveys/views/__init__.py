"""Pages of the perception surveys, one module per area."""
