"""The audit log of personal data: who exported or changed whose data, and when."""
