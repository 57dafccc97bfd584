using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Platform.Api.Errors;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Usage;

namespace Platform.Api.Usage;

/// <summary>
/// Reads one usage event from JSON and checks its shape. Events are read one by one from a parsed
/// document rather than bound as a whole, so one malformed event is refused by its index while the
/// others are kept. Time-window checks belong to the meter (its clock decides).
/// </summary>
public static class UsageEventReader
{
    private const long MaxUnixSeconds = 253_402_300_799; // 9999-12-31T23:59:59Z
    private static readonly IReadOnlyDictionary<string, string> NoProperties = new Dictionary<string, string>();

    /// <summary>The event's event_id when it is a string (echoed in the result even when the event is refused).</summary>
    public static string? EventIdOf(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty("event_id", out var id) && id.ValueKind == JsonValueKind.String
            ? id.GetString()
            : null;

    /// <param name="ownCustomerId">The caller's customer when the caller is a customer instance, else null (a tenant).</param>
    public static bool TryRead(
        JsonElement element, string? ownCustomerId,
        [NotNullWhen(true)] out ParsedUsageEvent? parsed, [NotNullWhen(false)] out UsageEventError? error)
    {
        parsed = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            error = Invalid(null, "Each usage event must be a JSON object.");
            return false;
        }
        string? eventId = null, customer = null, metric = null;
        decimal? quantity = null;
        DateTimeOffset? timestamp = null;
        IReadOnlyDictionary<string, string> properties = NoProperties;
        foreach (var member in element.EnumerateObject())
        {
            var value = member.Value;
            var absent = value.ValueKind == JsonValueKind.Null;
            switch (member.Name)
            {
                case "event_id":
                    if (!absent && (value.ValueKind != JsonValueKind.String || !IsIdentifier(value.GetString()!, UsageRules.MaxEventIdLength)))
                    {
                        error = Invalid("event_id", $"event_id must be 1 to {UsageRules.MaxEventIdLength} printable characters without spaces.");
                        return false;
                    }
                    eventId = absent ? null : value.GetString();
                    break;
                case "customer":
                    customer = absent ? null : value.ValueKind == JsonValueKind.String ? value.GetString() : "";
                    break;
                case "metric":
                    if (!absent && (value.ValueKind != JsonValueKind.String || !IsMetric(value.GetString()!)))
                    {
                        error = Invalid("metric", $"metric must be 1 to {UsageRules.MaxMetricLength} letters, digits, '_', '-', '.' or ':', starting with a letter or digit.");
                        return false;
                    }
                    metric = absent ? null : value.GetString();
                    break;
                case "quantity":
                    if (!absent && (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var q)
                        || q < 0 || q > UsageRules.MaxQuantity || decimal.Round(q, UsageRules.MaxQuantityScale) != q))
                    {
                        error = Invalid("quantity",
                            $"quantity must be a number from 0 to {UsageRules.MaxQuantity} with at most {UsageRules.MaxQuantityScale} decimal places.");
                        return false;
                    }
                    quantity = absent ? null : value.GetDecimal();
                    break;
                case "timestamp":
                    if (!absent && (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var seconds) || seconds is < 0 or > MaxUnixSeconds))
                    {
                        error = Invalid("timestamp", "timestamp must be an integer: seconds since the Unix epoch.");
                        return false;
                    }
                    timestamp = absent ? null : DateTimeOffset.FromUnixTimeSeconds(value.GetInt64());
                    break;
                case "properties":
                    if (!absent && ReadProperties(value, out properties) is { } propertiesError)
                    {
                        error = propertiesError;
                        return false;
                    }
                    break;
                default:
                    error = Invalid(member.Name, $"{member.Name} is not a field of a usage event.");
                    return false;
            }
        }
        if (eventId is null)
        {
            error = new UsageEventError(ErrorCodes.ParameterMissing, "event_id", "event_id is required: it makes a retried event count once.");
            return false;
        }
        if (ownCustomerId is not null)
        {
            if (customer is not null && customer != ownCustomerId)
            {
                error = new UsageEventError(ErrorCodes.InsufficientPermissions, "customer",
                    "A customer key reports usage only for its own customer; omit customer.");
                return false;
            }
            customer = ownCustomerId;
        }
        else if (customer is null)
        {
            error = new UsageEventError(ErrorCodes.ParameterMissing, "customer", "customer is required: the cus_… id the usage belongs to.");
            return false;
        }
        else if (!PlatformIds.IsCustomerId(customer))
        {
            error = NoSuchCustomer;
            return false;
        }
        if (metric is null)
        {
            error = new UsageEventError(ErrorCodes.ParameterMissing, "metric", "metric is required.");
            return false;
        }
        if (quantity is null)
        {
            error = new UsageEventError(ErrorCodes.ParameterMissing, "quantity", "quantity is required.");
            return false;
        }
        parsed = new ParsedUsageEvent(customer, new UsageEvent(eventId, metric, quantity.Value, timestamp, properties));
        error = null;
        return true;
    }

    public static UsageEventError NoSuchCustomer { get; } =
        new(ErrorCodes.ResourceMissing, "customer", "No such customer.");

    public static UsageEventError CustomerErased { get; } =
        new(ErrorCodes.CustomerErased, "customer", "This customer was erased; no more usage is taken for it.");

    private static UsageEventError? ReadProperties(JsonElement value, out IReadOnlyDictionary<string, string> properties)
    {
        properties = NoProperties;
        if (value.ValueKind != JsonValueKind.Object)
        {
            return Invalid("properties", "properties must be an object of string values.");
        }
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            if (map.Count == UsageRules.MaxProperties)
            {
                return Invalid("properties", $"properties holds at most {UsageRules.MaxProperties} keys.");
            }
            if (property.Name.Length is 0 or > UsageRules.MaxPropertyKeyLength || property.Name.Any(char.IsControl))
            {
                return Invalid("properties", $"property keys are 1 to {UsageRules.MaxPropertyKeyLength} printable characters.");
            }
            if (property.Value.ValueKind != JsonValueKind.String
                || property.Value.GetString() is not { } text || text.Length > UsageRules.MaxPropertyValueLength || text.Any(char.IsControl))
            {
                return Invalid($"properties[{property.Name}]", $"property values are strings of at most {UsageRules.MaxPropertyValueLength} printable characters.");
            }
            map[property.Name] = text;
        }
        properties = map;
        return null;
    }

    private static bool IsIdentifier(string value, int maxLength) =>
        value.Length > 0 && value.Length <= maxLength && !value.Any(c => char.IsControl(c) || char.IsWhiteSpace(c));

    private static bool IsMetric(string value) =>
        value.Length > 0 && value.Length <= UsageRules.MaxMetricLength && char.IsAsciiLetterOrDigit(value[0])
        && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or ':');

    private static UsageEventError Invalid(string? param, string message) => new(ErrorCodes.ParameterInvalid, param, message);
}
