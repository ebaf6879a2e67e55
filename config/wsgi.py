# The settings module is chosen in config/__init__.py, imported before this.
from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
