"""Who may see and change what in the cadres area. Views and services ask here; seeing a
record at all is cadres.scoping (404 outside it).

- Personal data (birth date, age, gender, ethnicity, political status, education, Party
  joining date, relatives, the work history) only for the personnel section (组织人事科),
  bureau leaders and the person; a department head sees their people's names and posts.
- Records (people, posts, departments, risks), deferrals, placements and rotation plans are
  kept by the personnel section; the rotation planner is read by it and by bureau leaders.
- A talk is seen by the two people in it, the personnel section and the main leader; never
  in another department's lists. Coverage (done/missing pairs, no content) by the personnel
  section and leaders; everyone else sees their own pairs.
"""

from django.db.models import Q, QuerySet

from .models import Cadre, Post, Talk
from .roles import HEAD, HR, LEADER, has_role
from .selectors import cadre_for


def keeps_records(user) -> bool:
    return has_role(user, HR)


def sees_personal_data(user, cadre: Cadre | None = None) -> bool:
    """Personal data of `cadre` (or, without one, of everyone in the user's scope)."""
    if has_role(user, HR, LEADER):
        return True
    return cadre is not None and cadre.user_id is not None and cadre.user_id == user.pk


def sees_planner(user) -> bool:
    return has_role(user, HR, LEADER)


def is_main_leader(user) -> bool:
    cadre = cadre_for(user)
    return (
        cadre is not None
        and cadre.is_leader
        and cadre.post_level == Cadre.PostLevel.PRINCIPAL
        and has_role(user, LEADER)
    )


def sees_all_talks(user) -> bool:
    return has_role(user, HR) or is_main_leader(user)


def sees_all_coverage(user) -> bool:
    return has_role(user, HR, LEADER)


def reviews_post(user, post: Post) -> bool:
    """The annual risk review of a post: the personnel section, or its department's head."""
    if has_role(user, HR):
        return True
    cadre = cadre_for(user)
    return has_role(user, HEAD) and cadre is not None and cadre.department_id == post.department_id


def visible_talks(user) -> QuerySet:
    """The talks `user` may see: their own, or all for the personnel section and the main leader."""
    talks = Talk.objects.select_related("talker__department", "talkee__department")
    if sees_all_talks(user):
        return talks
    cadre = cadre_for(user)
    if cadre is None:
        return talks.none()
    return talks.filter(Q(talker=cadre) | Q(talkee=cadre))
