"""What the cadres pages share: scoped lookups (404 outside the scope), role checks that
refuse with a reason (PermissionDenied, shown by the shared 403 page), and a service's
ValidationError put on the form."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from .. import permissions
from ..models import Cadre
from ..scoping import scope

AREA = "cadres"


def cadre_or_404(request, pk) -> Cadre:
    cadre = scope(Cadre.objects.select_related("department", "post", "user"), request.user, AREA).filter(pk=pk).first()
    if cadre is None:
        raise Http404
    return cadre


def require_records(user):
    if not permissions.keeps_records(user):
        raise PermissionDenied(_("Only the personnel section (组织人事科) keeps cadre records."))


def require_planner(user):
    if not permissions.sees_planner(user):
        raise PermissionDenied(_("The rotation planner is for the personnel section and bureau leaders."))


def errors_to_form(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
