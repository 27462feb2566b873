"""The evaluation models move here from `assessments` without copying a row.

The tables stay where assessments' migrations made them (`db_table` below, the many-to-many
tables follow their model's) and their content types are relabelled in place; `assessments.0005`
then forgets the models and `0002` renames the tables and indexes to this app's names.
"""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from core.migration_operations import ContentTypesMove


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('assessments', '0004_evaluation_facilitation_not_applicable'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('content', '0005_video_captions'),
        ('learners', '0005_membership_and_nip_claims'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables exist already (created by assessments' migrations): state only.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='FeedbackAspect',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=120, verbose_name='name')),
                        ('sort_order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                        ('competencies', models.ManyToManyField(blank=True, help_text='The competencies staff need so this aspect no longer falls short.', related_name='+', to='content.competency', verbose_name='competencies')),
                        ('organization', models.ForeignKey(blank=True, help_text="Leave empty to offer the aspect on every organization's units.", null=True, on_delete=django.db.models.deletion.CASCADE, related_name='feedback_aspects', to='content.organization', verbose_name='organization')),
                    ],
                    options={
                        'db_table': 'assessments_feedbackaspect',
                        'verbose_name': 'feedback aspect',
                        'verbose_name_plural': 'feedback aspects',
                        'ordering': ['sort_order', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='LearningNeed',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('current_level', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(4)], verbose_name='current level')),
                        ('target_level', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name='target level')),
                        ('priority', models.CharField(choices=[('low', 'Low'), ('medium', 'Medium'), ('high', 'High')], default='medium', max_length=10, verbose_name='priority')),
                        ('reason', models.TextField(max_length=2000, verbose_name='reason')),
                        ('appraisal_reference', models.CharField(blank=True, help_text='For example "SKP 2025, indicator 3".', max_length=200, verbose_name='performance appraisal reference')),
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Awaiting endorsement'), ('endorsed', 'Endorsed'), ('rejected', 'Not endorsed')], default='draft', max_length=10, verbose_name='status')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='submitted at')),
                        ('endorsed_at', models.DateTimeField(blank=True, null=True, verbose_name='decided at')),
                        ('decision_note', models.TextField(blank=True, max_length=1000, verbose_name='note from the endorser')),
                        ('competency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='content.competency', verbose_name='competency')),
                        ('endorsed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='learning_needs', to=settings.AUTH_USER_MODEL, verbose_name='civil servant')),
                    ],
                    options={
                        'db_table': 'assessments_learningneed',
                        'verbose_name': 'learning need',
                        'verbose_name_plural': 'learning needs',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='ServiceUnit',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=255, verbose_name='name')),
                        ('slug', models.SlugField(help_text='The public feedback page is /umpan-balik/<slug>/.', max_length=80, unique=True, verbose_name='slug')),
                        ('public', models.BooleanField(default=True, help_text='Untick to close the feedback page without losing its answers.', verbose_name='accepts public feedback')),
                        ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='service_units', to='content.organization', verbose_name='organization')),
                    ],
                    options={
                        'db_table': 'assessments_serviceunit',
                        'verbose_name': 'service unit',
                        'verbose_name_plural': 'service units',
                        'ordering': ['organization', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='PublicFeedback',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('rating', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name='rating')),
                        ('comment', models.TextField(blank=True, max_length=1000, verbose_name='comment')),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='created at')),
                        ('client_hash', models.CharField(blank=True, max_length=64)),
                        ('aspects', models.ManyToManyField(blank=True, related_name='+', to='evaluation.feedbackaspect', verbose_name='aspects that fell short')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='evaluation.serviceunit', verbose_name='service unit')),
                    ],
                    options={
                        'db_table': 'assessments_publicfeedback',
                        'verbose_name': 'public feedback',
                        'verbose_name_plural': 'public feedback',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='BehaviourFollowUp',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('recipient_email', models.EmailField(max_length=254, verbose_name='sent to')),
                        ('token_hash', models.CharField(blank=True, db_index=True, max_length=64)),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='sent at')),
                        ('expires_at', models.DateTimeField(blank=True, null=True, verbose_name='link expires at')),
                        ('answered_at', models.DateTimeField(blank=True, null=True, verbose_name='answered at')),
                        ('ratings', models.JSONField(blank=True, default=dict, verbose_name='ratings per competency')),
                        ('average_rating', models.DecimalField(blank=True, decimal_places=2, max_digits=3, null=True, verbose_name='average rating')),
                        ('comment', models.TextField(blank=True, max_length=2000, verbose_name='comment')),
                        ('enrollment', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='behaviour_followup', to='learners.enrollment')),
                        ('supervisor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='supervisor')),
                    ],
                    options={
                        'db_table': 'assessments_behaviourfollowup',
                        'verbose_name': 'behaviour follow-up',
                        'verbose_name_plural': 'behaviour follow-ups',
                        'ordering': ['-created_at'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('answered_at__isnull', True), models.Q(('average_rating__gte', 1), ('average_rating__lte', 5)), _connector='OR'), name='behaviour_followup_answer_has_rating')],
                    },
                ),
                migrations.CreateModel(
                    name='CourseEvaluation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('relevance', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name='relevance to my work')),
                        ('material_quality', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name='quality of the material')),
                        ('facilitation', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name='trainer and facilitation')),
                        ('platform', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name='learning platform')),
                        ('applicability', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name='applicability to my job')),
                        ('comment', models.TextField(blank=True, max_length=2000, verbose_name='comment')),
                        ('submitted_at', models.DateTimeField(verbose_name='submitted at')),
                        ('enrollment', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='evaluation', to='learners.enrollment')),
                    ],
                    options={
                        'db_table': 'assessments_courseevaluation',
                        'verbose_name': 'course evaluation',
                        'verbose_name_plural': 'course evaluations',
                        'ordering': ['-submitted_at'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('relevance__gte', 1), ('relevance__lte', 5)), name='course_evaluation_relevance_1_to_5'), models.CheckConstraint(condition=models.Q(('material_quality__gte', 1), ('material_quality__lte', 5)), name='course_evaluation_material_quality_1_to_5'), models.CheckConstraint(condition=models.Q(('platform__gte', 1), ('platform__lte', 5)), name='course_evaluation_platform_1_to_5'), models.CheckConstraint(condition=models.Q(('applicability__gte', 1), ('applicability__lte', 5)), name='course_evaluation_applicability_1_to_5'), models.CheckConstraint(condition=models.Q(('facilitation__isnull', True), models.Q(('facilitation__gte', 1), ('facilitation__lte', 5)), _connector='OR'), name='course_evaluation_facilitation_1_to_5')],
                    },
                ),
                migrations.AddConstraint(
                    model_name='feedbackaspect',
                    constraint=models.UniqueConstraint(fields=('organization', 'name'), name='unique_feedback_aspect_name'),
                ),
                migrations.AddIndex(
                    model_name='learningneed',
                    index=models.Index(fields=['status', 'competency'], name='assessments_status_7416af_idx'),
                ),
                migrations.AddIndex(
                    model_name='learningneed',
                    index=models.Index(fields=['user', 'status'], name='assessments_user_id_16df97_idx'),
                ),
                migrations.AddConstraint(
                    model_name='learningneed',
                    constraint=models.CheckConstraint(condition=models.Q(('current_level__gte', 0), ('current_level__lte', 4), ('target_level__gte', 1), ('target_level__lte', 5), ('target_level__gt', models.F('current_level'))), name='learning_need_target_above_current'),
                ),
                migrations.AddConstraint(
                    model_name='learningneed',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('endorsed_at__isnull', False), ('status__in', ['endorsed', 'rejected'])), models.Q(('endorsed_at__isnull', True), ('status__in', ['draft', 'submitted'])), _connector='OR'), name='learning_need_decision_recorded'),
                ),
                migrations.AddConstraint(
                    model_name='serviceunit',
                    constraint=models.UniqueConstraint(fields=('organization', 'name'), name='unique_service_unit_name'),
                ),
                migrations.AddConstraint(
                    model_name='publicfeedback',
                    constraint=models.CheckConstraint(condition=models.Q(('rating__gte', 1), ('rating__lte', 5)), name='public_feedback_rating_1_to_5'),
                ),
            ],
            database_operations=[],
        ),
        # Pages, revisions, permissions and log entries keep their content type ids.
        ContentTypesMove(
            from_app='assessments',
            to_app='evaluation',
            models=('feedbackaspect', 'learningneed', 'serviceunit', 'publicfeedback', 'behaviourfollowup', 'courseevaluation'),
        ),
    ]
