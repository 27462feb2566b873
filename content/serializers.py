"""Read-only API representations of the shared snippets, for Wagtail's API v2 fields."""

from rest_framework import serializers


class OrganizationSerializer(serializers.Serializer):
    """An organization as other content refers to it."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    short_name = serializers.CharField()
    kind = serializers.CharField()


class CompetencySerializer(serializers.Serializer):
    """A competency as other content refers to it, its name in the request's language where
    it was read through `competencies_localized` (`Competency.shown_name`)."""

    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField(source="shown_name")
    kind = serializers.CharField()
