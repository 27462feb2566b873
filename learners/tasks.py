"""Background work for learners: what a request should not wait for."""

from django_tasks import task

from learners.certificates import certificate_pdf_store


@task()
def certificate_pdf_generate(*, certificate_id: int) -> None:
    """Render and store a newly issued certificate's PDF (queued by `certificate_issue`).

    Safe to run twice, and a no-op for a certificate deleted before the worker got to it.
    """
    certificate_pdf_store(certificate_id=certificate_id)
