"""Evaluation pages, one module per idea, as in `evaluation.selectors`: a course's results
(`results`: the learner's reaction survey, the course results, the supervisor's follow-up link),
learning needs with their endorsement and report (`needs`), and public feedback (`feedback`).

Views are thin: forms check the input, `evaluation.services` applies the rules,
`evaluation.selectors` reads. `evaluation.urls` and the admin import each module by name.
"""
