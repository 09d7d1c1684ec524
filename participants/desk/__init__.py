"""The registration desk: badges, check-in, exports of people and the staff dashboard."""
