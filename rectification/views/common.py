"""What every page of the ledger shares: the 403 page with its reason, a visible measure
or 404, and a service's ValidationError shown on the form."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render

from .. import selectors
from ..models import Measure


def forbidden(request, message):
    return render(request, "rectification/forbidden.html", {"message": message}, status=403)


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
