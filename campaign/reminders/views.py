"""The page a reminder digest links to: the person's items grouped by colour, with links."""

from django.http import Http404
from django.shortcuts import render

from core.models import Notice

from .digests import digest_records, sections_of
from .models import Digest


def digest_detail(request, pk):
    digest = Digest.objects.select_related("sweep").filter(pk=pk, recipient=request.user).first()
    if digest is None:  # someone else's digest is not there for you
        raise Http404
    if digest.notice_id:
        Notice.objects.filter(pk=digest.notice_id, read=False).update(read=True)
    sections = sections_of(digest_records(digest))
    return render(request, "campaign/reminders/digest.html", {"digest": digest, "sections": sections})
