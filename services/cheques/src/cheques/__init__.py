"""The cheques service."""
