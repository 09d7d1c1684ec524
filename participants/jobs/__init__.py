"""Long staff jobs (imports, group proposals): claimed once, run in chunks, watched."""
