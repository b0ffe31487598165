"""The `wijkwerk` command: run the embedded system, mint tokens, migrate, create topics."""
