"""Request middleware of the project's own.

StripNulMiddleware: a NUL character cannot be stored or compared in PostgreSQL (psycopg
refuses the query, which used to answer 500 for /cadres/?q=%00). Every view reads its query
parameters from request.GET, so they are cleaned once here, for every page, list filter
and export, present and future.
"""

from django.http import QueryDict


class StripNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.META.get("QUERY_STRING", "") or "%00" in request.META.get("QUERY_STRING", ""):
            request.GET = strip_nul(request.GET)
        return self.get_response(request)


def strip_nul(query: QueryDict) -> QueryDict:
    cleaned = QueryDict(mutable=True)
    for key, values in query.lists():
        cleaned.setlist(key.replace("\x00", ""), [value.replace("\x00", "") for value in values])
    cleaned._mutable = False
    return cleaned
