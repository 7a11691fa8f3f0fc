from .api.accounts import urlpatterns as accounts_urls
from .api.payouts import urlpatterns as payouts_urls
from .api.schemes import urlpatterns as schemes_urls

urlpatterns = schemes_urls + accounts_urls + payouts_urls
