"""Wagtail hooks of the packages app: the "E-learning packages" admin and who may use it."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from packages.admin_views import PackageViewSet, permission_policy
from packages.models import Package

register_permission_policy(Package, permission_policy, exact_class=True)


@hooks.register("register_admin_viewset")
def register_package_viewset():
    return PackageViewSet("package_admin")
