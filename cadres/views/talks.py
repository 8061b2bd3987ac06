"""Talks (谈心谈话, 提醒谈话) at /cadres/talks/ and their coverage at
/cadres/talks/coverage/?year=2026. A talk is seen by the two people in it, the personnel
section and the main leader (404 for anyone else); coverage shows pairs, not contents."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core import dates
from core.pagination import paginate

from .. import coverage, permissions, selectors, services
from ..forms import TalkForm, people
from ..models import Cadre, Talk
from ..scoping import scope
from .common import errors_to_form


def talk_list(request):
    talks = permissions.visible_talks(request.user)
    kind = request.GET.get("kind", "")
    if kind in Talk.Kind.values:
        talks = talks.filter(kind=kind)
    year = request.GET.get("year", "")
    if year.isdigit():
        talks = talks.filter(date__year=int(year))
    context = {
        "page": paginate(request, talks, 50),
        "kind": kind,
        "year": year,
        "kinds": Talk.Kind.choices,
        "sees_all": permissions.sees_all_talks(request.user),
        "may_record": selectors.cadre_for(request.user) is not None or permissions.keeps_records(request.user),
    }
    return render(request, "cadres/talk_list.html", context)


def _talk_or_404(request, pk) -> Talk:
    talk = permissions.visible_talks(request.user).filter(pk=pk).first()
    if talk is None:
        raise Http404
    return talk


def talk_detail(request, pk):
    talk = _talk_or_404(request, pk)
    return render(
        request, "cadres/talk_detail.html", {"talk": talk, "may_edit": services.may_record_talk(request.user, talk)}
    )


def talk_form(request, pk=None):
    talk = _talk_or_404(request, pk) if pk else Talk()
    keeps = permissions.keeps_records(request.user)
    own = selectors.cadre_for(request.user)
    if not keeps and own is None:
        raise PermissionDenied(_("Only people with a cadre record can record talks."))
    if pk and not services.may_record_talk(request.user, talk):
        raise PermissionDenied(_("You may change only the talks you recorded yourself."))
    form = TalkForm(
        request.POST or None,
        instance=talk,
        talker_fixed=None if keeps else own,
        talkees=None if keeps else _talkees(request.user, own),
    )
    if request.method == "GET" and not pk:
        # From the coverage page: the missing pair, ready to record.
        for field, param in (("talkee", "with"), ("talker", "by")):
            if request.GET.get(param, "").isdigit() and (param == "with" or keeps):
                form.initial[field] = int(request.GET[param])
    if request.method == "POST" and form.is_valid():
        try:
            talk = services.save_talk(form.save(commit=False), request.user)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The talk has been recorded."))
            return redirect(talk)
    title = _("Edit talk") if pk else _("Record a talk")
    return render(request, "cadres/form.html", {"form": form, "title": title, "back": "cadres:talk_list"})


def _talkees(user, own):
    """Whom a talker may pick: the people of their scope and the partners of their required pairs."""
    partners = {pk for pair in coverage.required_pairs() if own.pk in pair.key for pk in pair.key}
    in_scope = scope(Cadre.objects.all(), user, "cadres").values("pk")
    return people().filter(Q(pk__in=in_scope) | Q(pk__in=partners))


COVERAGE_PAGE_SIZE = 50  # as the talk list


def talk_coverage(request):
    """The required pairs of a year as done / missing; the personnel section and leaders see
    every pair, anyone else the pairs they are in."""
    year = coverage.year_or_default(request.GET.get("year"), dates.today())
    everyone = permissions.sees_all_coverage(request.user)
    own = selectors.cadre_for(request.user)
    if not everyone and own is None:
        pairs = []
    else:
        pairs = coverage.coverage(year, None if everyone else own)
    state = request.GET.get("state", "")
    shown = [p for p in pairs if (state != "missing" or not p.done) and (state != "done" or p.done)]
    # Coverage shows pairs to leaders; a talk itself opens only for whom permissions allow.
    # A page of pairs, not all 2,000: drawing every row was nine tenths of the page's time.
    page = paginate(request, shown, COVERAGE_PAGE_SIZE)
    talk_ids = [t.pk for p in page for t in p.talks]
    openable = set(permissions.visible_talks(request.user).filter(pk__in=talk_ids).values_list("pk", flat=True))
    context = {
        "year": year,
        "years": list(range(dates.today().year, dates.today().year - 4, -1)),
        "pairs": shown,
        "page": page,
        "summary": coverage.summarise(pairs),
        "by_rule": coverage.by_rule(pairs),
        "state": state,
        "everyone": everyone,
        "openable": openable,
        "me": own.pk if own else None,
        "keeps_records": permissions.keeps_records(request.user),
    }
    return render(request, "cadres/talk_coverage.html", context)
