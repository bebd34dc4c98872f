from celery import shared_task


@shared_task(name="correspondence.ocr_attachment")
def ocr_attachment(attachment_id: int) -> str:
    from guichet.correspondence.models import Attachment
    from guichet.correspondence.services import run_ocr

    attachment = Attachment.objects.filter(pk=attachment_id).first()
    if attachment is None:
        return "missing"
    return run_ocr(attachment)
