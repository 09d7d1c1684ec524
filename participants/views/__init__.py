"""Views about people, one module per area; wired in participants/urls.py."""
