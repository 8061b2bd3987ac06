from django.utils.translation import gettext as _

from core.xlsx import Column


def cadre_columns() -> list[Column]:
    return [
        Column(_("Name"), lambda c: c.name, 10),
        Column(_("Gender"), lambda c: c.get_gender_display(), 6),
        Column(_("Department"), lambda c: c.department.name, 16),
        Column(_("Post"), lambda c: c.post.title if c.post else "", 18),
        Column(_("Position and rank"), lambda c: c.rank, 18),
        Column(_("Political status"), lambda c: c.get_political_status_display(), 14),
        Column(_("Education"), lambda c: c.education, 10),
        Column(_("Birth date"), lambda c: c.birth_date, 12),
        Column(_("In current post since"), lambda c: c.in_post_since, 14),
    ]
