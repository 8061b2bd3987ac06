from django.db import models
from django.utils.translation import gettext_lazy as _

from cadres.models import Cadre, Department


class Branch(models.Model):
    """A Party branch (党支部) of the bureau's organs and the departments it covers."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    secretary = models.ForeignKey(
        Cadre, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("branch secretary")
    )
    commissioner = models.ForeignKey(
        Cadre,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation commissioner"),
    )
    departments = models.ManyToManyField(
        Department, blank=True, related_name="party_branches", verbose_name=_("departments covered")
    )

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("Party branch")
        verbose_name_plural = _("Party branches")

    def __str__(self):
        return self.name
