"""Legal parameters: versions in time, legal bounds, a reason, an audit entry, no deletion, and a
switch for every rule not confirmed for Niger."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from guichet.accounts.models import Role
from guichet.audit.models import AuditEntry
from guichet.criminal_records import rule_parameters, rules, services_parameters
from guichet.criminal_records.models import RuleParameter

D = dt.date.fromisoformat
TODAY = "2026-06-01 10:00:00+01:00"


@pytest.fixture
def admin_user(make_agent):
    return make_agent("param.admin", Role.PLATFORM_ADMIN, "PRN")


def _set(actor, key, value, effective_from, reason="Loi n° 2026-01, art. 3"):
    return services_parameters.set_rule_parameter(
        actor=actor, key=key, value=value, effective_from=D(effective_from), reason=reason
    )


@time_machine.travel(TODAY, tick=False)
def test_a_change_today_does_not_rewrite_a_past_bulletin(admin_user, make_person, convict):
    person = make_person()
    convict(person, "2010-03-01", prison=400)
    assert rules.bulletin_entries(person, 3, on=D("2019-01-01")) == []
    _set(admin_user, "b3_prison_days", 365, "2026-06-02")
    # B3 as of 2019-01-01, and as of today, are what they were.
    assert rules.bulletin_entries(person, 3, on=D("2019-01-01")) == []
    assert rules.bulletin_entries(person, 3) == []
    # From the effective date on, the new value applies.
    assert len(rules.bulletin_entries(person, 3, on=D("2026-06-02"))) == 1
    assert rules.rules_version_on(D("2019-01-01")) != rules.rules_version_on(D("2026-06-02"))


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("effective_from", ["2026-06-01", "2019-01-01"])
def test_no_version_applies_to_a_day_already_begun(admin_user, effective_from):
    with pytest.raises(ValidationError, match="au plus tôt le lendemain"):
        _set(admin_user, "b3_prison_days", 365, effective_from)
    assert not RuleParameter.objects.exists()


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    "key, value",
    [
        ("penal_majority_age", -5),
        ("penal_majority_age", 40),
        ("b3_prison_days", -1),
        ("non_final_on_b2_b3", 2),
        ("rule_amnesty", 7),
    ],
)
def test_values_outside_the_legal_bounds_are_refused(admin_user, key, value):
    with pytest.raises(ValidationError, match="doit être compris entre"):
        _set(admin_user, key, value, "2026-07-01")


@time_machine.travel(TODAY, tick=False)
def test_inconsistent_thresholds_are_refused(admin_user):
    with pytest.raises(ValidationError, match="medium_prison_days"):
        _set(admin_user, "short_prison_days", 1000, "2026-07-01")


@time_machine.travel(TODAY, tick=False)
def test_a_reason_is_required(admin_user):
    with pytest.raises(ValidationError, match="motif"):
        _set(admin_user, "b3_prison_days", 365, "2026-07-01", reason="  ")


@time_machine.travel(TODAY, tick=False)
def test_only_a_platform_administrator_changes_the_rules(make_agent):
    clerk = make_agent("param.clerk", Role.COURT_CLERK, "TGI-NIAMEY")
    with pytest.raises(PermissionDenied):
        _set(clerk, "b3_prison_days", 365, "2026-07-01")


@time_machine.travel(TODAY, tick=False)
def test_a_change_is_in_the_audit_chain(admin_user):
    version = _set(admin_user, "penal_majority_age", 16, "2026-07-01")
    entry = AuditEntry.objects.get(action="criminal_records.rule_parameter.changed")
    assert entry.actor == admin_user and entry.reason == "Loi n° 2026-01, art. 3"
    assert entry.data["before"] == 18 and entry.data["after"] == 16
    assert entry.data["effective_from"] == "2026-07-01"
    assert version.created_by == admin_user


@time_machine.travel(TODAY, tick=False)
def test_an_unconfirmed_rule_can_be_switched_off(admin_user, make_person, convict):
    person = make_person()
    convict(person, "2010-03-01", prison=100, events=[("amnesty", "2011-01-01")])
    assert rules.bulletin_entries(person, 1, on=D("2026-07-01")) == []
    _set(admin_user, "rule_amnesty", 0, "2026-07-01")
    assert len(rules.bulletin_entries(person, 1, on=D("2026-07-01"))) == 1
    assert rules.bulletin_entries(person, 1, on=D("2026-06-30")) == []


def test_every_unconfirmed_rule_has_a_switch_and_no_confirmed_rule_has_one():
    switches = {
        k.removeprefix("rule_") for k in rule_parameters.PARAMETERS if k.startswith("rule_")
    }
    assert switches == {r.code for r in rules.RULES if not r.confirmed_for_niger}
    for rule in rules.RULES:
        if rule.confirmed_for_niger:
            assert rules.rule_enabled(rule, {f"rule_{rule.code}": 0})


def test_defaults_are_within_their_bounds():
    for parameter in rule_parameters.PARAMETERS.values():
        assert parameter.minimum <= parameter.default <= parameter.maximum, parameter.key
    defaults = {k: p.default for k, p in rule_parameters.PARAMETERS.items()}
    for key, value in defaults.items():
        assert rule_parameters.validation_errors(key, value, defaults) == [], key


@time_machine.travel(TODAY, tick=False)
def test_admin_adds_versions_but_never_edits_nor_deletes_them(signed_in):
    # A platform administrator, second factor verified (the admin site requires it).
    client = signed_in("param.superuser", Role.PLATFORM_ADMIN, "PRN")
    client.user.is_staff = client.user.is_superuser = True
    client.user.save()
    add = reverse("admin:criminal_records_ruleparameter_add")
    refused = client.post(
        add,
        {"key": "penal_majority_age", "value": -5, "effective_from": "2026-07-01", "reason": "x"},
    )
    assert refused.status_code == 200 and not RuleParameter.objects.exists()
    assert "doit être compris entre" in refused.content.decode()
    done = client.post(
        add,
        {"key": "penal_majority_age", "value": 17, "effective_from": "2026-07-01", "reason": "Loi"},
    )
    assert done.status_code == 302
    version = RuleParameter.objects.get()
    assert AuditEntry.objects.filter(action="criminal_records.rule_parameter.changed").exists()
    delete = reverse("admin:criminal_records_ruleparameter_delete", args=[version.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    change = reverse("admin:criminal_records_ruleparameter_change", args=[version.pk])
    client.post(change, {"key": "penal_majority_age", "value": 13, "reason": "x"})
    version.refresh_from_db()
    assert version.value == 17 and RuleParameter.objects.count() == 1
