"""Read-only API representations for course fields in Wagtail's API v2."""

from rest_framework import serializers


class CourseCompetencySerializer(serializers.Serializer):
    """A competency a course develops, flattened with its target level."""

    id = serializers.IntegerField(source="competency.id")
    code = serializers.CharField(source="competency.code")
    name = serializers.CharField(source="competency.name")
    kind = serializers.CharField(source="competency.kind")
    target_level = serializers.IntegerField()
