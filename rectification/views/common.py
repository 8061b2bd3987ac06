"""What every page of the ledger shares: a visible measure or 404, and a service's
ValidationError shown on the form. (A refusal raises PermissionDenied(reason): the shared
403 page, core.views.error_403, shows the reason.)"""

from django.core.exceptions import ValidationError
from django.http import Http404

from .. import selectors
from ..models import Measure


def measure_or_404(request, pk) -> Measure:
    measure = selectors.measure_detail(request.user, pk)
    if measure is None:
        raise Http404
    return measure


def errors_to_form(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
