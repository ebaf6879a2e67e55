# The settings module is chosen in config/__init__.py, imported before this.
from django.core.asgi import get_asgi_application

application = get_asgi_application()
