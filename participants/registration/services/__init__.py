"""Business rules of registration: registrations, profiles, invitations."""
