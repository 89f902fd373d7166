from django.urls import include, path

urlpatterns = [
    path("", include("lantoa.web.urls")),
    path("accounts/", include("lantoa.accounts.urls")),
    path("", include("lantoa.org.urls")),
    path("", include("lantoa.documents.urls")),
    path("", include("lantoa.cells.urls")),
    path("", include("lantoa.honours.urls")),
    path("", include("lantoa.ratings.urls")),
    path("", include("lantoa.funds.urls")),
    path("", include("lantoa.reports.urls")),
    path("imports/", include("lantoa.imports.urls")),
    path("audit/", include("lantoa.audit.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]

handler404 = "lantoa.web.errors.page_not_found"
