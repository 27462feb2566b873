"""Background work of learning paths."""

from django_tasks import task

from paths.certificates import path_certificate_pdf_store


@task()
def path_certificate_pdf_generate(*, certificate_id: int) -> None:
    """Render and store a newly issued path certificate's PDF (queued at issue); safe twice."""
    path_certificate_pdf_store(certificate_id=certificate_id)
