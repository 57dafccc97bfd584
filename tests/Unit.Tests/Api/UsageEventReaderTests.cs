using System.Security.Claims;
using System.Text.Json;
using Platform.Api.Auth;
using Platform.Api.Usage;
using Platform.Grains.Interfaces.Usage;

namespace Platform.Unit.Tests.Api;

public sealed class UsageEventReaderTests
{
    private const string Own = "cus_Own000000000000000";

    [Fact]
    public void TryRead_CustomerCallerOmittingCustomer_ReportsForItself()
    {
        Assert.True(UsageEventReader.TryRead(Json("""{"event_id":"e","metric":"m","quantity":1.5}"""), Own, out var parsed, out _));

        Assert.Equal(Own, parsed.CustomerId);
        Assert.Equal(1.5m, parsed.Event.Quantity);
        Assert.Null(parsed.Event.Timestamp);
    }

    [Fact]
    public void TryRead_CustomerCallerNamingAnotherCustomer_IsRefused()
    {
        Assert.False(UsageEventReader.TryRead(Json("""{"event_id":"e","customer":"cus_Other","metric":"m","quantity":1}"""), Own, out _, out var error));

        Assert.Equal(("insufficient_permissions", "customer"), (error.Code, error.Param));
    }

    [Fact]
    public void TryRead_TenantCallerWithoutCustomer_IsRefused()
    {
        Assert.False(UsageEventReader.TryRead(Json("""{"event_id":"e","metric":"m","quantity":1}"""), null, out _, out var error));

        Assert.Equal(("parameter_missing", "customer"), (error.Code, error.Param));
    }

    [Theory]
    [InlineData("""{"event_id":"e","customer":"cus_A","metric":"m","quantity":0.0000000001}""", "quantity")]
    [InlineData("""{"event_id":"e","customer":"cus_A","metric":"m","quantity":1,"timestamp":1.5}""", "timestamp")]
    [InlineData("""{"event_id":"has space","customer":"cus_A","metric":"m","quantity":1}""", "event_id")]
    [InlineData("""{"event_id":"e","customer":"cus_A","metric":"_m","quantity":1}""", "metric")]
    public void TryRead_MalformedField_NamesIt(string json, string param)
    {
        Assert.False(UsageEventReader.TryRead(Json(json), null, out _, out var error));

        Assert.Equal(param, error.Param);
    }

    [Fact]
    public void CustomerIdOf_ReadsTheCustomerClaimOfACustomerCallerOnly()
    {
        var customer = new ClaimsPrincipal(new ClaimsIdentity(
        [
            new Claim(PlatformClaims.Caller, PlatformClaims.CallerCustomer),
            new Claim(PlatformClaims.TenantId, "ten_T"),
            new Claim(PlatformClaims.CustomerId, Own),
        ], "test"));
        var tenant = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(PlatformClaims.Caller, PlatformClaims.CallerTenant), new Claim(PlatformClaims.CustomerId, Own)], "test"));

        Assert.Equal(Own, customer.CustomerIdOf());
        Assert.Null(tenant.CustomerIdOf());
    }

    [Fact]
    public void MetricUsageResource_PrintsAmountsWithoutTrailingZeros()
    {
        var resource = MetricUsageResource.From(new MetricUsage("m", 15.000000000m, 2, 7.250000000m, 4m, new Dictionary<string, long>()));

        Assert.Equal("15", resource.Sum.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("7.25", resource.Max.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
