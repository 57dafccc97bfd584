namespace Platform.Grains.Webhooks;

/// <summary>A webhook URL's host resolved to an address the SSRF guard refuses (or did not resolve).</summary>
public sealed class WebhookAddressRefusedException(string message) : Exception(message);
