"""My schedule: the personal agenda and the private calendar feed."""
