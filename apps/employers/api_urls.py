from .api.programmes import urlpatterns as programme_urls
from .api.registry_urls import urlpatterns as registry_urls
from .api.roster import urlpatterns as roster_urls

urlpatterns = registry_urls + roster_urls + programme_urls
