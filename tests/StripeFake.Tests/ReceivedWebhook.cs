namespace Platform.StripeFake.Tests;

/// <summary>A webhook delivery as the receiver saw it.</summary>
public sealed record ReceivedWebhook(string Body, string Signature, string Type, string ObjectId);
