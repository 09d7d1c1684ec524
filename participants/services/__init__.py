"""Business rules about people; one module per area (registration, groups, …)."""
