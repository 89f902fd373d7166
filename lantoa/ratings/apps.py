from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "lantoa.ratings"
    label = "ratings"
    verbose_name = _("Quality ratings and term targets")
