from django.shortcuts import render


def home(request):
    """The party-building area's front page: the obligations each branch must meet."""
    return render(request, "partybuilding/home.html")
