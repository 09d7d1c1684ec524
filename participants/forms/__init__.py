"""Forms about people, one module per area."""
