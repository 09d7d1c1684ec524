"""Business rules of groups: grouping, World Café, rotation."""
