"""The WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi …`."""

from forum import create_app
from forum.gc_tuning import freeze_startup_objects

app = create_app()
# Long-lived start-up objects leave the collector's walks (see forum/gc_tuning.py).
freeze_startup_objects()
