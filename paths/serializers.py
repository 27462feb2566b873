"""Read-only API representations of a learning path's fields in Wagtail's API v2."""

from rest_framework import serializers


class PathStepSerializer(serializers.Serializer):
    """A step of a path: a course (its page id and title) or a non-classical activity."""

    kind = serializers.SerializerMethodField()
    course_id = serializers.IntegerField(allow_null=True)
    course_title = serializers.CharField(source="course.title", default=None)
    development_form = serializers.CharField(source="development_form.code", default=None)
    description = serializers.CharField()
    min_jp = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    required = serializers.BooleanField()

    def get_kind(self, step) -> str:
        return "course" if step.course_id else "activity"
