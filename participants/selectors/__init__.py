"""Read queries about people; one module per area."""
