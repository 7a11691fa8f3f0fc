from .api.applications import urlpatterns as application_urls
from .api.attendance import urlpatterns as attendance_urls
from .api.enrolments import urlpatterns as enrolment_urls
from .api.privacy import urlpatterns as privacy_urls

applications_urls = application_urls + enrolment_urls
urlpatterns = applications_urls + attendance_urls + privacy_urls
