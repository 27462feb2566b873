"""Discussions: talking about a course. Questions and answers of each course and cohort, the
trainers' announcements to a cohort, and the reports, hiding and locking that keep them civil.

A small app of our own rather than a library. django-contrib-comments 2.2.0 (the maintained
comments framework) declares Django up to 4.0, and attaches flat comments to any object: no
accepted answer, no trainer's mark, no idea of who may read a cohort. django-machina 1.3.1, a
full forum, declares no Django version, needs django-haystack and django-mptt, and brings its
own forum permissions beside Lentera's roles (`learners.permissions`, `cohorts.permissions`),
which would then be kept twice. What we need is five small models whose rules are those roles.

Communities of practice (Komunitas Belajar) live here rather than in an app of their own: their
topics and replies are threads and posts (a thread belongs to a course or a community), so
reporting, hiding, locking, paging and the rate limit serve both; an app beside this one would
have to import it and be imported by it. `communities.py` holds what only communities have
(members, resources, events, participation claimed as a development record), and `mentions.py`
resolves `@Full Name` among the people who can see a discussion.
"""
