# The pytest plugin with the embedded engines is loaded from pytest.ini (-p wijkwerk_platform.testing).
