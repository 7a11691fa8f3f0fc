import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qianan_tuoyu.settings")
application = get_wsgi_application()
