namespace Platform.Grains.Interfaces.Credentials;

/// <summary>
/// Forget every cached credential whose key id (<c>key_…</c>, <c>ckey_…</c>), customer (<c>cus_…</c>) or
/// tenant (<c>ten_…</c>) is <see cref="SubjectId"/>: ids carry their kind in the prefix, so one field says
/// whether one key, one customer's keys or a whole tenant's keys are meant.
/// </summary>
[GenerateSerializer, Immutable, Alias("platform.credential_revocation")]
public sealed record CredentialRevocation([property: Id(0)] string SubjectId);
