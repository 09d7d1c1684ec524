"""Certificates of attendance and letters of invitation, their texts and PDFs."""
