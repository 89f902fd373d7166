from django.contrib.auth.models import AbstractUser
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A login. What it may see and do comes from its role grants on units (org.RoleGrant);
    the person it belongs to, if any, is ``user.person`` (org.Person.user)."""

    class Meta:
        ordering = ["username"]
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    @property
    def display_name(self) -> str:
        """The name colleagues know the account by: its person's (Võ Thị Phương), else the
        account's own, else the login. Pages listing many accounts select ``person`` with them."""
        person = getattr(self, "person", None)  # no person: the reverse accessor raises AttributeError
        return (person.full_name if person is not None else "") or self.get_full_name() or self.username

    def __str__(self) -> str:
        full = self.get_full_name()
        return f"{full} ({self.username})" if full else self.username
