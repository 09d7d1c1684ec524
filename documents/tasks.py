import logging

from celery import shared_task

from . import services
from .models import DocumentFile

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def task_make_preview(document_file_id: int) -> None:
    """Thumbnail and text of one stored file (queued when its upload commits)."""
    document_file = DocumentFile.objects.filter(pk=document_file_id).first()
    if document_file is None:
        logger.info("document file %s is gone; no preview", document_file_id)
        return
    services.make_preview(document_file=document_file)
