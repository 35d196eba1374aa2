"""Code lists of DESIGN §3, §4 and §7 (aligned with IOM's HTCDS). English source labels, Indonesian
in locale/."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")


class ArrivalPoint(models.TextChoices):
    EL_TARI_AIRPORT = "el_tari_airport", _("El Tari airport")
    TENAU_PORT = "tenau_port", _("Tenau port")
    BOLOK_PORT = "bolok_port", _("Bolok port")
    OTHER = "other", _("Other")


class ReturneeCategory(models.TextChoices):
    DEPORTEE = "deportee", _("Deportee")
    REPATRIATED = "repatriated", _("Repatriated")
    DECEASED = "deceased", _("Deceased")
    FAILED_DEPARTURE = "failed_departure", _("Failed departure")
    REGULAR = "regular", _("Regular return")


class ScreeningResult(models.TextChoices):
    PENDING = "pending", _("Not yet screened")
    POSSIBLE_VICTIM = "possible_victim", _("Possible victim")
    NOT_VICTIM = "not_victim", _("Not a victim")


class ExploitationType(models.TextChoices):
    FORCED_LABOUR = "forced_labour", _("Forced labour")
    SEXUAL_EXPLOITATION = "sexual_exploitation", _("Sexual exploitation")
    CHILD_LABOUR = "child_labour", _("Child labour")
    FORCED_MARRIAGE = "forced_marriage", _("Forced marriage")
    SERVITUDE = "servitude", _("Servitude")
    ORGAN_REMOVAL = "organ_removal", _("Organ removal")
    FORCED_BEGGING = "forced_begging", _("Forced begging")
    FORCED_ADOPTION = "forced_adoption", _("Forced adoption")
    SURROGACY = "surrogacy", _("Surrogacy")
    OTHER = "other", _("Other exploitation")


class MeansOfControl(models.TextChoices):
    """Trafficking indicators checked at screening (HTCDS "means of control")."""

    DEBT_BONDAGE = "debt_bondage", _("Debt bondage")
    TAKES_EARNINGS = "takes_earnings", _("Takes earnings")
    RESTRICTS_FINANCIAL_ACCESS = "restricts_financial_access", _("Restricts access to money")
    THREATS = "threats", _("Threats")
    PSYCHOLOGICAL_ABUSE = "psychological_abuse", _("Psychological abuse")
    PHYSICAL_ABUSE = "physical_abuse", _("Physical abuse")
    SEXUAL_ABUSE = "sexual_abuse", _("Sexual abuse")
    FALSE_PROMISES = "false_promises", _("False promises")
    PSYCHOACTIVE_SUBSTANCES = "psychoactive_substances", _("Psychoactive substances")
    RESTRICTS_MOVEMENT = "restricts_movement", _("Restricts movement")
    RESTRICTS_MEDICAL_CARE = "restricts_medical_care", _("Restricts medical care")
    EXCESSIVE_WORKING_HOURS = "excessive_working_hours", _("Excessive working hours")
    USES_CHILDREN = "uses_children", _("Uses children")
    THREAT_OF_LAW_ENFORCEMENT = "threat_of_law_enforcement", _("Threat of law enforcement")
    WITHHOLDS_NECESSITIES = "withholds_necessities", _("Withholds necessities")
    WITHHOLDS_DOCUMENTS = "withholds_documents", _("Withholds documents")
    OTHER = "other", _("Other means of control")


class CaseSource(models.TextChoices):
    BP3MI_IDENTIFICATION = "bp3mi_identification", _("BP3MI identification")
    POLICE_REPORT = "police_report", _("Police report")
    COMMUNITY_REPORT = "community_report", _("Community report")
    HOTLINE = "hotline", _("Hotline")
    OTHER = "other", _("Other source")


class Stage(models.TextChoices):
    IDENTIFIED = "identified", _("Identified")
    NOT_TPPO = "not_tppo", _("Not trafficking")
    REPORTED = "reported", _("Police report")
    INQUIRY = "inquiry", _("Inquiry")
    INVESTIGATION = "investigation", _("Investigation")
    PROSECUTION = "prosecution", _("Prosecution (P-21)")
    TRIAL = "trial", _("Trial")
    VERDICT = "verdict", _("Verdict")
    APPEAL = "appeal", _("Appeal")
    FINAL = "final", _("Final judgment")
    TERMINATED = "terminated", _("Terminated")
    TRANSFERRED = "transferred", _("Transferred")


class Relationship(models.TextChoices):
    FAMILY = "family", _("Family")
    ACQUAINTED = "acquainted", _("Acquaintance")
    STRANGER = "stranger", _("Stranger")
    UNKNOWN = "unknown", _("Unknown")


class SuspectRole(models.TextChoices):
    RECRUITER = "recruiter", _("Recruiter")
    TRANSPORTER = "transporter", _("Transporter")
    HARBOURER = "harbourer", _("Harbourer")
    BROKER = "broker", _("Broker")
    EXPLOITER = "exploiter", _("Exploiter")
    CONTROLLER = "controller", _("Controller")
    OTHER = "other", _("Other role")


class DetentionStatus(models.TextChoices):
    NOT_DETAINED = "not_detained", _("Not detained")
    DETAINED = "detained", _("Detained")
    HOUSE_ARREST = "house_arrest", _("House arrest")
    CITY_ARREST = "city_arrest", _("City arrest")
    WANTED = "wanted", _("Wanted (DPO)")


class ObstacleKind(models.TextChoices):
    """The paper's socio-cultural barriers, recorded instead of a "withdrawn" ending (DESIGN §4.3)."""

    VICTIM_UNWILLING = "victim_unwilling", _("Victim unwilling to continue")
    PERPETRATOR_IS_FAMILY = "perpetrator_is_family", _("Perpetrator is family")
    ADAT_SETTLEMENT_ATTEMPT = "adat_settlement_attempt", _("Customary (adat) settlement attempt")
    VICTIM_UNREACHABLE = "victim_unreachable", _("Victim unreachable")
    VICTIM_NOT_SELF_IDENTIFYING = "victim_not_self_identifying", _("Victim does not see themself as a victim")


class TerminationGround(models.TextChoices):
    # Deliberately no "withdrawn" or "settled by adat": TPPO is not a complaint offence and the
    # victim's consent does not remove prosecution (UU 21/2007 Pasal 26).
    INSUFFICIENT_EVIDENCE = "insufficient_evidence", _("Insufficient evidence")
    NOT_A_CRIME = "not_a_crime", _("Not a crime")
    BY_OPERATION_OF_LAW = "by_operation_of_law", _("Closed by operation of law")
    NE_BIS_IN_IDEM = "ne_bis_in_idem", _("Ne bis in idem")
    LAPSE_OF_TIME = "lapse_of_time", _("Lapse of time")
    SUSPECT_DIED = "suspect_died", _("Suspect died")
    PROSECUTION_STOPPED = "prosecution_stopped", _("Prosecution stopped (SKPP)")


class HandlingGrounds(models.TextChoices):
    """Why an agency handles a case (DESIGN §6). A referral's grant is kept as "referral:<id>"
    (`for_referral`), so that ending one referral withdraws its own grant and no other."""

    CREATED = "created", _("Opened the case")
    MOVED = "move", _("Moved the case or recorded a step")
    P21 = "p21", _("Received the case file at P-21")
    SPDP = "spdp", _("Named with the SPDP")
    REFERRAL = "referral", _("Accepted a referral naming the case")
    DEMO = "demo", _("Demo data")

    @classmethod
    def for_referral(cls, referral_id: int) -> str:
        return f"{cls.REFERRAL.value}:{referral_id}"


class LpModel(models.TextChoices):
    A = "A", _("Model A (police's own finding)")
    B = "B", _("Model B (report by the public)")


class Verdict(models.TextChoices):
    CONVICTED = "convicted", _("Convicted")
    ACQUITTED = "acquitted", _("Acquitted")


class StepKind(models.TextChoices):
    """Legal steps inside a stage, recorded as timeline events without changing the stage."""

    SPDP_SENT = "spdp_sent", _("SPDP sent to the prosecutor")
    TAHAP1_SENT = "tahap1_sent", _("Case file sent (Tahap I)")
    P19_RETURNED = "p19_returned", _("File returned incomplete (P-19)")
    TAHAP2_DONE = "tahap2_done", _("Suspect and evidence handed over (Tahap II)")
    HEARING = "hearing", _("Hearing")


class ConsentMethod(models.TextChoices):
    WRITTEN = "written", _("Written")
    VERBAL = "verbal", _("Verbal")
    GUARDIAN = "guardian", _("By guardian")
