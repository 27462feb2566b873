"""Read-only API representations for course fields in Wagtail's API v2."""

from rest_framework import serializers


class CourseCompetencySerializer(serializers.Serializer):
    """A competency a course develops, flattened with its target level."""

    id = serializers.IntegerField(source="competency.id")
    code = serializers.CharField(source="competency.code")
    # In the request's language where read through `course_competencies_localized`.
    name = serializers.CharField(source="competency_name")
    kind = serializers.CharField(source="competency.kind")
    target_level = serializers.IntegerField()
