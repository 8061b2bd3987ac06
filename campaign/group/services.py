"""Writes to the campaign and its leadership group: each one transaction."""

from django.db import transaction

from cadres.models import Department

from .models import Campaign, GroupMember


@transaction.atomic
def save_campaign(form, phases) -> Campaign:
    """The campaign and its phases, together or not at all."""
    campaign = form.save()
    phases.instance = campaign
    phases.save()
    return campaign


@transaction.atomic
def create_campaign(form, phases, copy_group_from: Campaign | None = None) -> Campaign:
    campaign = save_campaign(form, phases)
    if copy_group_from is not None:
        GroupMember.objects.bulk_create(
            GroupMember(campaign=campaign, cadre_id=m.cadre_id, role=m.role, duty=m.duty)
            for m in copy_group_from.members.filter(cadre__active=True)
        )
    return campaign


@transaction.atomic
def save_members(formset) -> None:
    formset.save()


@transaction.atomic
def save_oversight(formset) -> list[Department]:
    return formset.save()
