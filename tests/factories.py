"""Factories for the organisation; other apps' factories live beside these."""

import factory
from django.contrib.auth.models import Group, User

from cadres import roles
from cadres.models import Cadre, Department, Post


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"测试科{n}")
    order = factory.Sequence(lambda n: 10 + n)


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    department = factory.SubFactory(DepartmentFactory)
    title = factory.Sequence(lambda n: f"岗位{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@bureau.local")
    password = factory.PostGenerationMethodCall("set_password", "pw-12345678")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*[Group.objects.get_or_create(name=name)[0] for name in extracted])
        if create:
            self.save()


class CadreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cadre

    name = factory.Sequence(lambda n: f"测试{n}")
    gender = "M"
    department = factory.SubFactory(DepartmentFactory)


def person(username: str, department: Department, *role_names: str, leader: bool = False, name: str | None = None):
    """A login account with its cadre record, in `department`, holding `role_names`."""
    user = UserFactory(username=username, roles=list(role_names))
    CadreFactory(user=user, department=department, is_leader=leader, name=name or username)
    return user


__all__ = ["DepartmentFactory", "PostFactory", "UserFactory", "CadreFactory", "person", "roles"]
