"""Working groups and World Café: proposing, publishing, seating and rotation."""
