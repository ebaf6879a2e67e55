"""The shape of /api/v1/summary/, for the OpenAPI schema only: the data
itself comes ready-made from tracker.selectors.summary."""

from rest_framework import serializers

from tracker.choices import CampaignStatus, Stance


class BodySerializer(serializers.Serializer):
    slug = serializers.SlugField(help_text="The organization's slug.")
    name = serializers.CharField(help_text="Its name.")


class TotalsSerializer(serializers.Serializer):
    productions = serializers.IntegerField(help_text="Productions tracked.")
    with_ic = serializers.IntegerField(help_text="Productions that used an IC.")
    without_ic = serializers.IntegerField(help_text="Productions that did not.")
    unknown_ic = serializers.IntegerField(help_text="Productions not known either way.")
    award_mentions = serializers.IntegerField(help_text="Award mentions of ICs.")
    statements = serializers.IntegerField(help_text="Statements about ICs.")
    policies = serializers.IntegerField(help_text="Policies on ICs.")


class ShareFields(serializers.Serializer):
    used = serializers.IntegerField(help_text="Productions that used an IC.")
    not_used = serializers.IntegerField(help_text="Productions that did not.")
    unknown = serializers.IntegerField(
        help_text="Productions not known either way; not in the share."
    )
    known = serializers.IntegerField(help_text="used + not_used.")
    share = serializers.FloatField(
        allow_null=True, help_text="used / known, from 0 to 1; null when known is 0."
    )


class YearShareSerializer(ShareFields):
    year = serializers.IntegerField(help_text="The productions' start year.")


class OrganizationShareSerializer(ShareFields):
    organization = BodySerializer(
        allow_null=True,
        help_text="The network, or the studio when no network is known; null "
        "when neither is.",
    )


class MentionCountSerializer(serializers.Serializer):
    award_body = BodySerializer(allow_null=True, help_text="The award body.")
    year = serializers.IntegerField(allow_null=True, help_text="The mention's year.")
    count = serializers.IntegerField(help_text="How many mentions.")


class StanceCountSerializer(serializers.Serializer):
    stance = serializers.ChoiceField(choices=Stance.choices, help_text="The stance.")
    label = serializers.CharField(help_text="The stance in words.")
    count = serializers.IntegerField(help_text="How many statements take it.")


class MilestoneBriefSerializer(serializers.Serializer):
    date = serializers.DateField(allow_null=True, help_text="When it happened.")
    title = serializers.CharField(help_text="What happened.")


class CampaignBriefSerializer(serializers.Serializer):
    slug = serializers.SlugField(help_text="The campaign's slug.")
    name = serializers.CharField(help_text="Its name.")
    status = serializers.ChoiceField(
        choices=CampaignStatus.choices, help_text="How far it has got."
    )
    status_label = serializers.CharField(help_text="The status in words.")
    proposed_category = serializers.CharField(
        allow_null=True, help_text="The category it asks for."
    )
    milestones = MilestoneBriefSerializer(many=True, help_text="By date.")


class CampaignsByBodySerializer(serializers.Serializer):
    award_body = BodySerializer(help_text="The award body lobbied.")
    campaigns = CampaignBriefSerializer(many=True, help_text="Its campaigns.")


class PrecedentSerializer(serializers.Serializer):
    slug = serializers.SlugField(help_text="The category's slug.")
    name = serializers.CharField(help_text="Its name.")
    award_body = BodySerializer(help_text="Its award body.")
    year_introduced = serializers.IntegerField(
        allow_null=True, help_text="When it was introduced."
    )
    status = serializers.CharField(help_text="existing, proposed or introduced.")


class SummarySerializer(serializers.Serializer):
    totals = TotalsSerializer(help_text="Counts over the whole tracker.")
    ic_share_by_year = YearShareSerializer(many=True, help_text="By start year.")
    ic_share_by_organization = OrganizationShareSerializer(
        many=True, help_text="By network or studio, most ICs first."
    )
    award_mentions_by_body_year = MentionCountSerializer(
        many=True, help_text="IC award mentions by award body and year."
    )
    statements_by_stance = StanceCountSerializer(
        many=True, help_text="Every stance, zeros included."
    )
    campaigns_by_body = CampaignsByBodySerializer(
        many=True, help_text="Campaign status by award body."
    )
    precedents = PrecedentSerializer(
        many=True, help_text="Categories won by similar campaigns."
    )
