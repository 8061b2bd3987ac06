"""What every page of the ledger shares: a visible measure or 404, a service's
ValidationError shown on the form, and a refused form's errors summed up for the top of
the page (each linking to its field). (A refusal raises PermissionDenied(reason): the shared
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


def error_summary(form) -> list[dict]:
    """Each error of a bound form as {"id", "label", "message"}: the alert at the top of the
    page links to the field (rectification.js scrolls to the first one)."""
    if not form.is_bound:
        return []
    items = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        bound = form[name] if field is not None else None
        for message in errors:
            items.append(
                {
                    "id": bound.auto_id if bound is not None else "",
                    "label": field.label if field is not None else "",
                    "message": message,
                }
            )
    return items
