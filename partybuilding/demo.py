"""The demo bureau's three Party branches (idempotent)."""

from cadres.models import Cadre, Department

from .models import Branch

BRANCHES = [
    # name, departments, secretary, commissioner
    ("机关第一党支部", ["办公室", "组织人事科", "计划财务科", "机关党委"], "郭雪梅", None),
    ("机关第二党支部", ["政策法规科", "行政审批科", "规划建设科"], "马文博", "周志刚"),
    ("机关第三党支部", ["执法监督科", "安全监管科", "信息中心", "综合执法支队"], None, None),
]


def _member(name):
    return Cadre.objects.filter(name=name).first() if name else None


def seed() -> dict:
    for order, (name, departments, secretary, commissioner) in enumerate(BRANCHES, start=1):
        branch, created = Branch.objects.get_or_create(name=name, defaults={"order": order})
        if created:
            covered = list(Department.objects.filter(name__in=departments))
            branch.departments.set(covered)
            members = Cadre.objects.filter(department__in=covered, political_status=Cadre.Political.MEMBER)
            # A branch without a named secretary gets the most senior member of its departments.
            branch.secretary = _member(secretary) or members.order_by("post_level", "id").first()
            branch.commissioner = _member(commissioner) or members.exclude(pk=branch.secretary_id).first()
            branch.save()
    return {"branches": Branch.objects.count()}
