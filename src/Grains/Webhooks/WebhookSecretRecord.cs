namespace Platform.Grains.Webhooks;

/// <summary>A signing secret as stored: encrypted (FieldProtector), with the end of its overlap once rotated away.</summary>
[GenerateSerializer, Alias("platform.webhook_secret_record")]
public sealed class WebhookSecretRecord
{
    [Id(0)] public string Protected { get; set; } = "";

    [Id(1)] public DateTimeOffset Created { get; set; }

    /// <summary>Null while current; set by a rotation to when this secret stops signing.</summary>
    [Id(2)] public DateTimeOffset? Expires { get; set; }
}
