"""Site page test fixtures: a signed-in browser per actor of the permission matrix."""

from tests.actors import ACTORS, actor_browser, browser_for  # noqa: F401 - fixtures
