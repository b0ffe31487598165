"""Toeleiding: the referral service and the only owner of personal data."""
