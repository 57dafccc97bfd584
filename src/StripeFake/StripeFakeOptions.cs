namespace Platform.StripeFake;

/// <summary>Settings of the Stripe fake; standalone they come from the <c>StripeFake</c> configuration section.</summary>
public sealed class StripeFakeOptions
{
    /// <summary>Configuration section read by the standalone host.</summary>
    public const string SectionName = "StripeFake";

    /// <summary>When set, every <c>/v1</c> request must carry <c>Authorization: Bearer</c> this key, else 401.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Where events are POSTed; null keeps them only in memory. Can be changed while running.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>The endpoint secret (<c>whsec_…</c>) that signs deliveries.</summary>
    public string WebhookSecret { get; set; } = "whsec_stripefake_development_secret";

    /// <summary>The <c>api_version</c> of events; defaults to the version Stripe.net pins, so EventUtility accepts them.</summary>
    public string ApiVersion { get; set; } = Stripe.StripeConfiguration.ApiVersion;

    /// <summary>Attempts per webhook delivery (the first included).</summary>
    public int WebhookMaxAttempts { get; set; } = 4;

    /// <summary>Delay before the first retry of a delivery; doubled for each later retry.</summary>
    public TimeSpan WebhookRetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Where Kestrel listens when embedded; port 0 picks a free port.</summary>
    public string ListenUrl { get; set; } = "http://127.0.0.1:0";

    /// <summary>Unit amount (minor units) of prices not listed in <see cref="PriceAmounts"/>.</summary>
    public long DefaultUnitAmount { get; set; } = 1000;

    /// <summary>Unit amounts of known price ids; any other price id is accepted at <see cref="DefaultUnitAmount"/>.</summary>
    public IDictionary<string, long> PriceAmounts { get; } = new Dictionary<string, long>(StringComparer.Ordinal);

    /// <summary>
    /// Where the fake keeps its objects across restarts (a JSON file, loaded at start and rewritten after each
    /// change); null keeps them in memory only. Standalone: <c>StripeFake:StateFile</c>, e.g.
    /// <c>--StripeFake:StateFile=.data/stripe-fake/state.json</c> or <c>StripeFake__StateFile</c>.
    /// </summary>
    public string? StateFile { get; set; }

    /// <summary>The clock behind <c>created</c>, trial ends and periods.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
