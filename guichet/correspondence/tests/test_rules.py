"""Copies that reach somebody, and the visa rule of each organisation (issue 14)."""

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse

from guichet.correspondence import selectors, services
from guichet.correspondence.models import MailOfficeRules
from guichet.workflow.models import CaseAssignment


def test_a_copy_to_a_unit_with_nobody_and_no_head_is_refused(register, clerk, organisations):
    # Failed before: the copy was recorded and reached nobody, without a word.
    mail = register()
    with pytest.raises(ValidationError) as error:
        services.impute(
            mail,
            actor=clerk,
            organisation=organisations["SGG-DAJ"],
            copies=[organisations["SGG-JO"]],
        )
    assert "Personne ne lit le courrier" in str(error.value)
    assert not CaseAssignment.objects.filter(case=mail.case).exists()


def test_a_copy_to_a_unit_with_nobody_goes_to_its_head(register, clerk, head, organisations):
    mail = register()
    services.impute(
        mail, actor=clerk, organisation=organisations["SGG-DAJ"], copies=[organisations["SGG-JO"]]
    )
    copy = CaseAssignment.objects.get(case=mail.case, for_information=True)
    assert copy.to_user == head
    assert mail in selectors.mails_visible_to(head)


def test_a_copy_to_a_unit_with_a_clerk_stays_with_the_unit(
    register, clerk, head, organisations, make_agent
):
    reader = make_agent("jo", "mail_clerk", "SGG-JO")
    mail = register()
    services.impute(
        mail, actor=clerk, organisation=organisations["SGG-DAJ"], copies=[organisations["SGG-JO"]]
    )
    copy = CaseAssignment.objects.get(case=mail.case, for_information=True)
    assert copy.to_organisation.code == "SGG-JO" and copy.to_user is None
    assert mail in selectors.mails_visible_to(reader)


def test_confidential_copy_needs_a_head_not_a_clerk(register, head, organisations, make_agent):
    make_agent("jo", "mail_clerk", "SGG-JO")  # a clerk does not see confidential mail
    mail = register(confidentiality="confidential", actor=head)
    services.impute(
        mail, actor=head, organisation=organisations["SGG-DAJ"], copies=[organisations["SGG-JO"]]
    )
    assert CaseAssignment.objects.get(case=mail.case, for_information=True).to_user == head


def test_the_page_warns_when_a_copy_goes_to_the_head(client, register, clerk, head, organisations):
    mail = register()
    client.force_login(clerk)
    response = client.post(
        reverse("correspondence:impute", args=[mail.pk]),
        {"organisation": organisations["SGG-DAJ"].pk, "copies": [organisations["SGG-JO"].pk]},
        follow=True,
    )
    assert "la copie pour information a été adressée à son chef de service" in response.text


def test_the_page_refuses_a_copy_that_reaches_nobody(client, register, clerk, organisations):
    mail = register()
    client.force_login(clerk)
    response = client.post(
        reverse("correspondence:impute", args=[mail.pk]),
        {"organisation": organisations["SGG-DAJ"].pk, "copies": [organisations["SGG-JO"].pk]},
    )
    assert response.status_code == 200 and "Personne ne lit le courrier" in response.text


def _outgoing(register, **fields):
    return register(direction="D", subject="Transmission du décret", **fields)


def test_without_a_rule_an_outgoing_letter_is_sent_without_visa(register, clerk):
    mail = _outgoing(register)
    services.dispatch(mail, actor=clerk)
    assert mail.sent_on is not None


def test_rule_all_refuses_to_send_an_unvisaed_letter(register, clerk, jurist, organisations):
    # Failed before: an outgoing reply could be marked sent without any visa, whatever the rule.
    MailOfficeRules.objects.create(organisation=organisations["SGG"], visa_rule="all")
    mail = _outgoing(register)
    with pytest.raises(ValidationError, match="doit être visé avant son expédition"):
        services.dispatch(mail, actor=clerk)
    services.start_visa_circuit(mail, actor=clerk, approvers=[jurist])
    services.approve_visa(mail, actor=jurist)
    services.dispatch(mail, actor=clerk)
    assert mail.sent_on is not None


def test_rule_confidential_only(register, clerk, head, organisations):
    MailOfficeRules.objects.create(organisation=organisations["SGG"], visa_rule="confidential")
    ordinary = _outgoing(register)
    services.dispatch(ordinary, actor=clerk)
    secret = _outgoing(register, confidentiality="confidential", actor=head)
    with pytest.raises(ValidationError):
        services.dispatch(secret, actor=head)


def test_the_nearest_rule_applies(register, clerk, organisations):
    MailOfficeRules.objects.create(organisation=organisations["SGG"], visa_rule="none")
    MailOfficeRules.objects.create(organisation=organisations["SGG-BC"], visa_rule="all")
    assert selectors.mail_office_rules(organisations["SGG-BC"]).visa_rule == "all"
    assert selectors.mail_office_rules(organisations["SGG-DAJ"]).visa_rule == "none"
    assert selectors.mail_office_rules(organisations["MSP"]).visa_rule == "none"  # default
    with pytest.raises(ValidationError):
        services.dispatch(_outgoing(register), actor=clerk)


def test_the_dispatch_page_says_why(client, register, clerk, organisations):
    MailOfficeRules.objects.create(organisation=organisations["SGG"], visa_rule="all")
    mail = _outgoing(register)
    client.force_login(clerk)
    response = client.post(reverse("correspondence:dispatch", args=[mail.pk]), follow=True)
    assert "doit être visé avant son expédition" in response.text
    mail.refresh_from_db()
    assert mail.sent_on is None


def test_the_rules_are_in_the_admin():
    assert isinstance(admin.site._registry.get(MailOfficeRules), admin.ModelAdmin) or any(
        model is MailOfficeRules for model in admin.site._registry
    )
