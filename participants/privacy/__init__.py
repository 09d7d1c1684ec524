"""Privacy: my data as JSON, erasing an account, anonymising past events."""
