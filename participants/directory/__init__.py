"""The participant directory: who opts in, and who may read it."""
