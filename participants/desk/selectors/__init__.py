"""Read queries of the desk: badge, check-in, dashboard, exports."""
