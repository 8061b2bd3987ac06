"""The organisation's names as a sheet writes them: every department and active cadre
by normalised name, loaded once (no query per row), with the errors for unknown,
inactive, ambiguous names and people who are not bureau leaders."""

from django.utils.translation import gettext as _

from cadres.models import Cadre, Department

from .cells import compact


class Directory:
    """Every department and active cadre, by normalised name: no query per row."""

    def __init__(self):
        self.departments: dict[str, Department] = {}
        for d in Department.objects.all():
            self.departments[compact(d.name)] = d
        self.cadres: dict[str, list[Cadre]] = {}
        for c in Cadre.objects.filter(active=True).select_related("department"):
            self.cadres.setdefault(compact(c.name), []).append(c)

    def knows_department(self, name: str) -> bool:
        key = compact(name)
        return key in self.departments or (key.startswith("局") and key[1:] in self.departments)

    def knows_person(self, name: str) -> bool:
        return compact(name) in self.cadres

    def department(self, name: str):
        """(department, error message)"""
        key = compact(name)
        found = self.departments.get(key)
        if found is None and key.startswith("局"):
            found = self.departments.get(key[1:])
        if found is None:
            return None, _("Unknown department “%(name)s”") % {"name": name}
        if not found.active:
            return None, _("Department “%(name)s” is no longer active") % {"name": name}
        return found, None

    def leader(self, name: str):
        people = self.cadres.get(compact(name), [])
        leaders = [c for c in people if c.is_leader]
        if not people:
            return None, _("Unknown person “%(name)s”") % {"name": name}
        if not leaders:
            return None, _("“%(name)s” is not a bureau leader") % {"name": name}
        if len(leaders) > 1:
            return None, _("“%(name)s” is ambiguous: %(count)s people have this name") % {
                "name": name,
                "count": len(leaders),
            }
        return leaders[0], None

    def person(self, name: str, department: Department | None):
        people = self.cadres.get(compact(name), [])
        if not people:
            return None, _("Unknown person “%(name)s”") % {"name": name}
        if len(people) > 1 and department is not None:
            in_department = [c for c in people if c.department_id == department.id]
            if len(in_department) == 1:
                return in_department[0], None
        if len(people) > 1:
            return None, _("“%(name)s” is ambiguous: %(count)s people have this name (%(departments)s)") % {
                "name": name,
                "count": len(people),
                "departments": "、".join(c.department.name for c in people),
            }
        return people[0], None
