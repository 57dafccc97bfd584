using Microsoft.AspNetCore.Http.HttpResults;
using Platform.Api.Auth;
using Platform.Api.Common;
using Platform.Api.Errors;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.TestClocks;

namespace Platform.Api.TestClocks;

/// <summary>
/// Test clocks (docs/INVOICES.md): a customer created with <c>test_clock</c> is billed in the clock's time, and
/// advancing the clock runs everything that came due (period roll-overs, invoice finalization, collection, dunning)
/// before it answers, so a whole billing cycle can be watched in seconds. Only when <c>Billing:TestClocks</c> is on.
/// </summary>
public static class TestClocksApi
{
    public const string DisabledCode = "test_clocks_disabled";

    /// <summary>Frozen times are bounded to years 2000–2200: enough for any test, and no overflow in period arithmetic.</summary>
    private static readonly long MinTime = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
    private static readonly long MaxTime = new DateTimeOffset(2200, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

    public static IEndpointRouteBuilder MapTestClocksApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/test_clocks").WithTags("Test clocks").RequireAuthorization(Policies.TenantWrite);
        group.MapPost("/", CreateTestClock).WithName("CreateTestClock").WithSummary("Create a test clock at frozen_time (Billing:TestClocks)");
        group.MapGet("/{id}", GetTestClock).WithName("GetTestClock").WithSummary("Retrieve a test clock");
        group.MapPost("/{id}/advance", AdvanceTestClock).WithName("AdvanceTestClock")
            .WithSummary("Move the clock forward and run what came due for its customers (roll-overs, invoices, collection, dunning)");
        return app;
    }

    public static async Task<Results<Ok<TestClockResource>, ProblemHttpResult>> CreateTestClock(
        [AsParameters] TestClockServices services, CreateTestClockRequest request)
    {
        if (Refusal(services, request.FrozenTime, request.Name) is { } refused)
        {
            return refused;
        }
        var tenantId = services.Http.User.RequireTenantId();
        var clock = await services.Grains.GetGrain<ITestClockGrain>(PlatformIds.TestClockKey(tenantId, PlatformIds.NewTestClockId()))
            .CreateAsync(DateTimeOffset.FromUnixTimeSeconds(request.FrozenTime!.Value), request.Name);
        return TypedResults.Ok(TestClockResource.From(clock));
    }

    public static async Task<Results<Ok<TestClockResource>, ProblemHttpResult>> GetTestClock([AsParameters] TestClockServices services, string id)
    {
        if (Disabled(services) is { } disabled)
        {
            return disabled;
        }
        return Clock(services, id) is { } grain && await grain.GetAsync() is { } clock
            ? TypedResults.Ok(TestClockResource.From(clock))
            : Problems.NotFound("test_clock");
    }

    public static async Task<Results<Ok<TestClockResource>, ProblemHttpResult>> AdvanceTestClock(
        [AsParameters] TestClockServices services, string id, AdvanceTestClockRequest request)
    {
        if (Disabled(services) is { } disabled)
        {
            return disabled;
        }
        // Another tenant's clock is answered as missing before the body is looked at: no oracle.
        if (Clock(services, id) is not { } grain || await grain.GetAsync() is null)
        {
            return Problems.NotFound("test_clock");
        }
        if (Refusal(services, request.FrozenTime, null) is { } refused)
        {
            return refused;
        }
        return TypedResults.Ok(TestClockResource.From(await grain.AdvanceAsync(DateTimeOffset.FromUnixTimeSeconds(request.FrozenTime!.Value))));
    }

    /// <summary>403 when test clocks are off (also for a customer created with <c>test_clock</c>).</summary>
    public static ProblemHttpResult? Disabled(TestClockServices services) => Disabled(services.Settings.Value);

    public static ProblemHttpResult? Disabled(TestClockSettings settings) => settings.Enabled
        ? null
        : Problems.Result(403, DisabledCode, $"Test clocks are off on this platform. Set {TestClockSettings.Key}=true (on in Development) to use them.");

    private static ProblemHttpResult? Refusal(TestClockServices services, long? frozenTime, string? name)
    {
        if (Disabled(services) is { } disabled)
        {
            return disabled;
        }
        if (frozenTime is null)
        {
            return Problems.Result(400, ErrorCodes.ParameterMissing, "frozen_time is required (Unix seconds).", "frozen_time");
        }
        if (frozenTime < MinTime || frozenTime > MaxTime)
        {
            return Problems.Invalid("frozen_time", "frozen_time must be Unix seconds between the years 2000 and 2200.");
        }
        return Validation.Text("name", name, 100);
    }

    private static ITestClockGrain? Clock(TestClockServices services, string id) => PlatformIds.IsTestClockId(id)
        ? services.Grains.GetGrain<ITestClockGrain>(PlatformIds.TestClockKey(services.Http.User.RequireTenantId(), id))
        : null;
}
