import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantoa.settings")
application = get_wsgi_application()

# Each web process starts its LibreOffice now, so that the first PDF asked for is not the slow one.
from lantoa.lib import pdf  # noqa: E402 - needs the settings configured above

pdf.prewarm()
