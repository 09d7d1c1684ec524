"""Feedback: evaluations of the event and its sessions, and their results."""
