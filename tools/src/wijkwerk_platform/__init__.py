"""Tooling around the services: the ``wijkwerk`` command, the embedded engines, the demo
world, the pytest plugin and test kit. The services never import it; it imports the
contracts package (``wijkwerk``) and, by name only, the services it runs."""
