"""The WSGI application `make bench-browser` serves with gunicorn: the project as production runs
it (lentera.settings.bench, debug off, static files through whitenoise's middleware) plus the
uploaded media, which production leaves to the web server in front (README, MEDIA_URL).

Media are looked up on each request (autorefresh): a lesson's first view may create an image
rendition after the server started.
"""

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from whitenoise import WhiteNoise

application = WhiteNoise(
    get_wsgi_application(),
    root=settings.MEDIA_ROOT,
    prefix=settings.MEDIA_URL,
    autorefresh=True,
    max_age=3600,
)
