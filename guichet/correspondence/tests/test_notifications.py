"""The mail office's SMS and e-mails read as a French civil servant would write them (issue 14)."""

import datetime as dt

import time_machine

from guichet.correspondence import services
from guichet.notifications.models import Message
from guichet.workflow.deadlines import check_deadlines


def _bodies(template, channel):
    return [m.body for m in Message.objects.filter(template=template, channel=channel)]


def test_reminder_to_the_agent_in_charge(register, clerk, organisations, make_agent):
    agent = make_agent("dia", "mail_clerk", "SGG-DAJ", email="dia@example.ne")
    mail = register()
    services.impute(mail, actor=clerk, organisation=organisations["SGG-DAJ"], agent=agent)
    with time_machine.travel(mail.case.due_at - dt.timedelta(hours=2), tick=False):
        check_deadlines()
    (email,) = _bodies("workflow/case_reminder", "email")
    subject = Message.objects.get(template="workflow/case_reminder", channel="email").subject
    assert subject == f"Rappel d'échéance : dossier {mail.reference}"
    assert "qui vous est imputé, arrive à échéance" in email


def test_reminder_to_a_unit_does_not_say_it_is_imputed_to_the_agent(register, clerk, organisations):
    # Failed before: every clerk of the unit read « qui vous est imputé » for a mail nobody had.
    mail = register()  # in SGG-BC, whose clerk has an e-mail address
    with time_machine.travel(mail.case.due_at - dt.timedelta(hours=2), tick=False):
        check_deadlines()
    (email,) = _bodies("workflow/case_reminder", "email")
    assert "qui vous est imputé" not in email
    assert "personne ne l'a encore pris en charge" in email


def test_escalation_email_does_not_repeat_itself(register, head, organisations, settings):
    # Failed before: « traité par … n'a pas été traité avant son échéance ».
    head.email = "chef@example.ne"
    head.save()
    mail = register()
    with time_machine.travel(mail.case.due_at + dt.timedelta(days=1), tick=False):
        check_deadlines()
    (email,) = _bodies("workflow/case_escalated", "email")
    assert "traité par" not in email
    assert "confié à" in email and "n'a pas été traité avant son échéance" in email
    assert "Aucun agent ne l'a pris en charge." in email
    (sms,) = _bodies("workflow/case_escalated", "sms")
    assert "est en retard : son échéance était le" in sms
