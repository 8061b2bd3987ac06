"""Request middleware of the project's own.

StripNulMiddleware: a NUL character cannot be stored or compared in PostgreSQL (psycopg
refuses the query, which used to answer 500 for /cadres/?q=%00). Every view reads its query
parameters from request.GET, so they are cleaned once here, for every page, list filter
and export, present and future.

ReadableUploadNamesMiddleware: an uploaded file whose name cannot be read is kept (and then
refused with a message by the upload checks) instead of being dropped without a word.
"""

from django.http import QueryDict
from django.http.multipartparser import MultiPartParser
from django.utils.datastructures import ImmutableList


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


class ReadableUploadNamesMiddleware:
    """Django's upload parser silently drops a file whose name it cannot read (a name of
    only non-printable characters, "..", a bare path): the page then said 进展已保存 without
    the file. Here such a file is kept under UNREADABLE_UPLOAD_NAME, which the upload checks
    (rectification.evidence) refuse with a message asking to rename it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.META.get("CONTENT_TYPE", "").startswith("multipart/"):
            request.parse_file_upload = lambda META, post_data: _parse(request, META, post_data)
        return self.get_response(request)


# The replacement character, as Django writes for bytes of a name it cannot decode.
UNREADABLE_UPLOAD_NAME = "\ufffd"


class _KeepingParser(MultiPartParser):
    def sanitize_file_name(self, file_name):
        return super().sanitize_file_name(file_name) or UNREADABLE_UPLOAD_NAME


def _parse(request, META, post_data):
    request.upload_handlers = ImmutableList(
        request.upload_handlers, warning="You cannot alter upload handlers after the upload has been processed."
    )
    return _KeepingParser(META, post_data, request.upload_handlers, request.encoding).parse()
