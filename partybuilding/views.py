from django.shortcuts import render

from .models import Branch


def home(request):
    """The party-building area's front page: the branches and the obligations they must meet."""
    branches = Branch.objects.select_related("secretary", "commissioner").prefetch_related("departments")
    return render(request, "partybuilding/home.html", {"branches": branches})
