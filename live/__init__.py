"""Live sessions (sesi langsung) of a cohort: scheduled by its trainers in a virtual classroom or
a place, shown to its members with an ICS calendar feed, and their attendance, whose hours count
toward the learner's JP (see `live.services.attendance_record`).

An app of its own beside `discussions` rather than more of `cohorts`: cohorts is already the
trainer's dashboard, members, invitations, imports and reminders; sessions bring three models, a
calendar format and a JP rule that reads `development`, which sits beside cohorts on the floor
below and must not be imported by it. Here, one floor up, live sessions read both.
"""
