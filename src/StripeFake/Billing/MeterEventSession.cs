namespace Platform.StripeFake.Billing;

/// <summary>A meter event session: its token authenticates stream requests until <see cref="ExpiresAt"/>.</summary>
internal sealed record MeterEventSession(string Id, string Token, DateTimeOffset ExpiresAt);
