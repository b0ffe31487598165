"""The evaluatie service."""
