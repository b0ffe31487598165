"""The prestaties service."""
