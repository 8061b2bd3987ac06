"""The page a reminder digest links to, and the office's page of group-chat robots."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadres.roles import is_office
from core.models import Notice

from . import robots
from .digests import digest_records, sections_of
from .forms import ChatRobotForm
from .models import ChatRobot, Digest, RobotMessage


def digest_detail(request, pk):
    digest = Digest.objects.select_related("sweep").filter(pk=pk, recipient=request.user).first()
    if digest is None:  # someone else's digest is not there for you
        raise Http404
    if digest.notice_id:
        Notice.objects.filter(pk=digest.notice_id, read=False).update(read=True)
    sections = sections_of(digest_records(digest))
    return render(request, "campaign/reminders/digest.html", {"digest": digest, "sections": sections})


def _office_only(request):
    if not is_office(request.user):
        raise PermissionDenied(_("Only the campaign office sets up the group-chat robots."))


def robot_list(request):
    """The robots, a form for a new one, and the last messages with their errors."""
    _office_only(request)
    form = ChatRobotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Robot saved. It gets its department's reminders from the next sweep on."))
        return redirect("campaign:robots")
    return _render_list(request, form, status=400 if request.method == "POST" else 200)


def _render_list(request, form, status=200):
    context = {
        "form": form,
        "robots": ChatRobot.objects.select_related("department"),
        "bureau_channels": [channel for channel, robot in robots.channels() if robot is None],
        "recent": RobotMessage.objects.select_related("sweep", "robot__department")[:30],
    }
    return render(request, "campaign/reminders/robots.html", context, status=status)


def robot_edit(request, pk):
    _office_only(request)
    robot = get_object_or_404(ChatRobot, pk=pk)
    form = ChatRobotForm(request.POST or None, instance=robot)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Robot saved."))
        return redirect("campaign:robots")
    return render(request, "campaign/reminders/robot_form.html", {"form": form, "robot": robot})


@require_POST
def robot_delete(request, pk):
    _office_only(request)
    get_object_or_404(ChatRobot, pk=pk).delete()
    messages.success(request, _("Robot removed."))
    return redirect("campaign:robots")
