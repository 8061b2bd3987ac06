from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from django.views.i18n import set_language

from campaign.dashboard.views import home
from core import views as core_views

admin.site.site_header = _("Capacity and Conduct Year · administration")
admin.site.site_title = _("Administration")
admin.site.index_title = _("System administration")

urlpatterns = [
    path("", home, name="home"),
    path("", include("campaign.urls")),
    path("accounts/", include("core.account_urls")),
    path("notices/", include("core.urls")),
    path("cadres/", include("cadres.urls")),
    path("rectification/", include("rectification.urls")),
    path("partybuilding/", include("partybuilding.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico whatever the page says.
    path("favicon.ico", login_not_required(RedirectView.as_view(url=settings.STATIC_URL + "favicon.svg"))),
]

handler403 = core_views.error_403
handler404 = core_views.error_404
handler500 = core_views.error_500

if settings.DEBUG:
    urlpatterns.append(path("__errors/<int:code>/", core_views.error_preview))
