from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse, HttpResponseServerError
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import NotificationPreferenceForm
from .models import Notice, NotificationPreference
from .pagination import paginate


def inbox(request):
    notices = request.user.notices.all()
    if request.GET.get("unread"):
        notices = notices.filter(read=False)
    page = paginate(request, notices, 30)
    return render(request, "core/inbox.html", {"page": page, "only_unread": bool(request.GET.get("unread"))})


@require_POST
def open_notice(request, pk):
    notice = get_object_or_404(Notice, pk=pk, recipient=request.user)
    if not notice.read:
        notice.read = True
        notice.save(update_fields=["read"])
    target = notice.link if url_has_allowed_host_and_scheme(notice.link, allowed_hosts=None) else ""
    return redirect(target or "core:inbox")


@require_POST
def mark_all_read(request):
    request.user.notices.filter(read=False).update(read=True)
    return redirect("core:inbox")


@login_not_required
def error_403(request, exception=None):
    """The one 403 page: it names the reason the view gave (PermissionDenied(reason))."""
    reason = str(exception) if exception is not None and exception.args else ""
    return render(request, "errors/403.html", {"reason": reason}, status=403)


@login_not_required
def error_404(request, exception=None):
    return render(request, "errors/404.html", status=404)


@login_not_required
def error_500(request):
    """Rendered without the request's context processors: they read the user and the unread
    notices from the database, which may be the very thing that failed."""
    return HttpResponseServerError(loader.get_template("errors/500.html").render({"LANGUAGE_CODE": get_language()}))


def error_preview(request, code):
    views = {403: error_403, 404: error_404, 500: error_500}
    if code not in views:
        raise Http404
    return views[code](request)


def whoami(request):
    """A minimal logged-in page: the baseline the benchmarks compare real pages to."""
    return HttpResponse(request.user.get_username(), content_type="text/plain; charset=utf-8")


@login_not_required
def locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout page: a clear Chinese message instead of a bare 403."""
    minutes = int(settings.AXES_COOLOFF_TIME * 60)
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)


def notification_settings(request):
    """Turn reminder emails off (or on again) for oneself; the inbox always gets them."""
    preference = NotificationPreference.objects.filter(user=request.user).first() or NotificationPreference(
        user=request.user
    )
    # An unticked checkbox posts nothing: bind on POST even when request.POST is empty.
    form = NotificationPreferenceForm(request.POST if request.method == "POST" else None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        if form.instance.email_enabled:
            messages.success(request, _("Reminders will also be sent to you by email."))
        else:
            messages.success(request, _("Reminder emails are turned off. Reminders still appear in your inbox."))
        return redirect("core:notification_settings")
    return render(request, "core/notification_settings.html", {"form": form, "email": request.user.email})
