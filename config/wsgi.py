import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# After the application (and so Django) is set up: see jingmin/core/warmup.py.
from jingmin.core.warmup import warm_up  # noqa: E402

warm_up()
