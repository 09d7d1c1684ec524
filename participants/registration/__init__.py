"""Registration: profiles, registration types, registrations and invitations."""
