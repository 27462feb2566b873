"""QuizPage and QuizAttempt move here from `assessments` without copying a row.

The tables stay where assessments' migrations made them (`db_table` below) and their content
types are relabelled in place; `assessments.0005` then forgets the models and `0002` renames the
tables to this app's names.
"""

import django.core.validators
import django.db.models.deletion
import wagtail.fields
from django.conf import settings
from django.db import migrations, models

from core.migration_operations import ContentTypesMove


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('assessments', '0004_evaluation_facilitation_not_applicable'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('courses', '0005_video_captions'),
        ('learners', '0005_membership_and_nip_claims'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables exist already (created by assessments' migrations): state only.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='QuizPage',
                    fields=[
                        ('lessonpage_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to='courses.lessonpage')),
                        ('role', models.CharField(choices=[('practice', 'Practice quiz'), ('pre_test', 'Pre-test'), ('post_test', 'Post-test (final test)')], default='practice', max_length=20, verbose_name='role')),
                        ('pass_mark', models.PositiveSmallIntegerField(default=70, help_text='The lowest score, in percent of the points, that passes.', validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)], verbose_name='pass mark (%)')),
                        ('max_attempts', models.PositiveSmallIntegerField(blank=True, help_text='Leave empty for unlimited attempts.', null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(100)], verbose_name='attempts allowed')),
                        ('time_limit_minutes', models.PositiveSmallIntegerField(blank=True, help_text='Leave empty for no time limit. The server refuses late submissions.', null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(600)], verbose_name='time limit (minutes)')),
                        ('shuffle_questions', models.BooleanField(default=False, verbose_name='shuffle questions')),
                        ('shuffle_options', models.BooleanField(default=False, verbose_name='shuffle options')),
                        ('questions_per_attempt', models.PositiveSmallIntegerField(blank=True, help_text='Leave empty to ask every question. Otherwise each attempt draws this many questions at random from the questions below and is scored over them.', null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(500)], verbose_name='questions per attempt')),
                        ('requires_lessons_completed', models.BooleanField(default=True, help_text='For a post-test: learners can start it only after completing every required lesson of the course, so no attempt is spent before they have studied. Pre-tests and practice quizzes are always open.', verbose_name='open only once every lesson is done')),
                        ('feedback_policy', models.CharField(choices=[('never', 'Never'), ('after_final', 'After the last attempt or after passing'), ('always', 'After every attempt (practice quizzes only)')], default='after_final', help_text='When learners see the correct answers and explanations of their attempts. A pre-test never shows the answers to questions that are also in the post-test.', max_length=20, verbose_name='show correct answers')),
                        ('questions', wagtail.fields.StreamField([('single_choice', 7), ('multiple_choice', 7), ('true_false', 9), ('short_answer', 12)], block_lookup={0: ('wagtail.blocks.TextBlock', (), {'label': 'Question', 'max_length': 2000, 'rows': 2}), 1: ('wagtail.blocks.TextBlock', (), {'help_text': "Shown to the learner with the correct answer, when the quiz's feedback policy allows it.", 'label': 'Explanation', 'max_length': 2000, 'required': False, 'rows': 2}), 2: ('wagtail.blocks.IntegerBlock', (), {'default': 1, 'label': 'Points', 'max_value': 100, 'min_value': 1}), 3: ('wagtail.blocks.CharBlock', (), {'label': 'Option', 'max_length': 500}), 4: ('wagtail.blocks.BooleanBlock', (), {'label': 'Correct', 'required': False}), 5: ('wagtail.blocks.StructBlock', [[('text', 3), ('is_correct', 4)]], {}), 6: ('wagtail.blocks.ListBlock', (5,), {'label': 'Options', 'max_num': 10, 'min_num': 2}), 7: ('wagtail.blocks.StructBlock', [[('text', 0), ('explanation', 1), ('points', 2), ('options', 6)]], {}), 8: ('wagtail.blocks.ListBlock', (5,), {'default': [{'is_correct': False, 'text': 'Benar'}, {'is_correct': False, 'text': 'Salah'}], 'help_text': 'Tick the option that is correct.', 'label': 'Options', 'max_num': 2, 'min_num': 2}), 9: ('wagtail.blocks.StructBlock', [[('text', 0), ('explanation', 1), ('points', 2), ('options', 8)]], {}), 10: ('wagtail.blocks.CharBlock', (), {'label': 'Accepted answer', 'max_length': 200}), 11: ('wagtail.blocks.ListBlock', (10,), {'help_text': 'Matched ignoring case, extra spaces and punctuation at the ends. Add spelling variants and abbreviations as separate answers.', 'label': 'Accepted answers', 'min_num': 1}), 12: ('wagtail.blocks.StructBlock', [[('text', 0), ('explanation', 1), ('points', 2), ('accepted_answers', 11)]], {})}, verbose_name='questions')),
                        ('pass_bands', wagtail.fields.StreamField([('band', 2)], blank=True, block_lookup={0: ('wagtail.blocks.CharBlock', (), {'label': 'Label', 'max_length': 60}), 1: ('wagtail.blocks.DecimalBlock', (), {'decimal_places': 2, 'label': 'Minimum score (%)', 'max_value': 100, 'min_value': 0}), 2: ('wagtail.blocks.StructBlock', [[('label', 0), ('min_score', 1)]], {})}, help_text='For a post-test: the label (predikat) printed on the certificate, from the highest band whose minimum the score reaches. For example Sangat Baik 90, Baik 75, Cukup 65.', verbose_name='pass bands')),
                    ],
                    options={
                        'db_table': 'assessments_quizpage',
                        'verbose_name': 'quiz',
                        'verbose_name_plural': 'quizzes',
                        'constraints': [models.CheckConstraint(condition=models.Q(('pass_mark__lte', 100)), name='quiz_pass_mark_at_most_100')],
                    },
                    bases=('courses.lessonpage',),
                ),
                migrations.CreateModel(
                    name='QuizAttempt',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('number', models.PositiveSmallIntegerField(verbose_name='attempt')),
                        ('status', models.CharField(choices=[('in_progress', 'In progress'), ('submitted', 'Submitted'), ('expired', 'Expired (time limit passed)')], default='in_progress', max_length=20, verbose_name='status')),
                        ('started_at', models.DateTimeField(verbose_name='started at')),
                        ('deadline', models.DateTimeField(blank=True, null=True, verbose_name='deadline')),
                        ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='submitted at')),
                        ('question_order', models.JSONField(blank=True, default=list)),
                        ('answers', models.JSONField(blank=True, default=dict)),
                        ('points', models.PositiveIntegerField(blank=True, null=True, verbose_name='points')),
                        ('max_points', models.PositiveIntegerField(blank=True, null=True, verbose_name='maximum points')),
                        ('score', models.DecimalField(blank=True, decimal_places=2, max_digits=5, null=True, verbose_name='score (%)')),
                        ('passed', models.BooleanField(default=False, verbose_name='passed')),
                        ('pass_band', models.CharField(blank=True, max_length=60, verbose_name='pass band')),
                        ('enrollment', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='quiz_attempts', to='learners.enrollment')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='quiz_attempts', to=settings.AUTH_USER_MODEL)),
                        ('quiz', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='attempts', to='quizzes.quizpage')),
                    ],
                    options={
                        'db_table': 'assessments_quizattempt',
                        'verbose_name': 'quiz attempt',
                        'verbose_name_plural': 'quiz attempts',
                        'ordering': ['-started_at'],
                        'constraints': [models.UniqueConstraint(fields=('enrollment', 'quiz', 'number'), name='one_attempt_number_per_enrollment_and_quiz'), models.UniqueConstraint(condition=models.Q(('status', 'in_progress')), fields=('user', 'quiz'), name='one_attempt_in_progress_per_quiz'), models.CheckConstraint(condition=models.Q(('number__gte', 1)), name='attempt_number_from_1'), models.CheckConstraint(condition=models.Q(('score__isnull', True), models.Q(('score__gte', 0), ('score__lte', 100)), _connector='OR'), name='attempt_score_0_to_100')],
                    },
                ),
            ],
            database_operations=[],
        ),
        # Pages, revisions, permissions and log entries keep their content type ids.
        ContentTypesMove(
            from_app='assessments',
            to_app='quizzes',
            models=('quizpage', 'quizattempt'),
        ),
    ]
