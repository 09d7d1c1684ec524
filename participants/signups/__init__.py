"""Sign-ups: seats in the sessions that take them, and their waiting lists."""
