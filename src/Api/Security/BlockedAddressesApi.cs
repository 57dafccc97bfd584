using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Platform.Api.Auth;
using Platform.Api.Common;
using Platform.Api.Errors;
using Platform.Grains.Interfaces.Security;

namespace Platform.Api.Security;

/// <summary>
/// The operator's cluster-wide address blocklist (an incident step, docs/OPERATIONS.md): a blocked address or
/// CIDR range is refused with 403 <c>address_blocked</c> by every API host before authentication. A change
/// answers once every reachable host has it; each is audited on the platform chain.
/// </summary>
public static class BlockedAddressesApi
{
    public static IEndpointRouteBuilder MapBlockedAddressesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/blocked_addresses").WithTags("Incident response").RequireAuthorization(Policies.PlatformAdmin);
        group.MapGet("/", ListBlockedAddresses).WithName("ListBlockedAddresses").WithSummary("The blocked client addresses and ranges");
        group.MapPost("/", BlockAddress).WithName("BlockAddress")
            .WithSummary("Block a client address or CIDR range on every API host, before authentication");
        group.MapDelete("/", UnblockAddress).WithName("UnblockAddress").WithSummary("Unblock an address or range (?address=…)");
        return app;
    }

    public static async Task<Ok<ListResource<BlockedAddressResource>>> ListBlockedAddresses(IGrainFactory grains)
    {
        var list = await grains.GetGrain<IAddressBlocklistGrain>(IAddressBlocklistGrain.Key).GetAsync();
        return TypedResults.Ok(new ListResource<BlockedAddressResource>("/v1/blocked_addresses", false,
            list.Ranges.Select(BlockedAddressResource.From).ToArray()));
    }

    public static async Task<Results<Ok<BlockedAddressResource>, ProblemHttpResult>> BlockAddress(IGrainFactory grains, BlockAddressRequest request)
    {
        if (Validate(request.Address, out var range) is { } invalid)
        {
            return invalid;
        }
        if (request.Reason is not null && Validation.Text("reason", request.Reason, 500) is { } badReason)
        {
            return badReason;
        }
        var blocked = await grains.GetGrain<IAddressBlocklistGrain>(IAddressBlocklistGrain.Key).BlockAsync(range, request.Reason?.Trim());
        return TypedResults.Ok(BlockedAddressResource.From(blocked));
    }

    public static async Task<Results<Ok<DeletedBlockedAddressResource>, ProblemHttpResult>> UnblockAddress(
        IGrainFactory grains, [FromQuery(Name = "address")] string? address)
    {
        if (Validate(address, out var range) is { } invalid)
        {
            return invalid;
        }
        var removed = await grains.GetGrain<IAddressBlocklistGrain>(IAddressBlocklistGrain.Key).UnblockAsync(range);
        return removed is null ? Problems.NotFound("blocked address") : TypedResults.Ok(new DeletedBlockedAddressResource(removed.Range));
    }

    private static ProblemHttpResult? Validate(string? address, out string range)
    {
        range = "";
        if (string.IsNullOrWhiteSpace(address))
        {
            return Problems.Result(400, ErrorCodes.ParameterMissing, "address is required: an IP address or a CIDR range.", "address");
        }
        if (AddressRanges.Normalize(address) is not { } normalized)
        {
            return Problems.Invalid("address", "address must be an IP address or a CIDR range whose host bits are zero (203.0.113.0/24).");
        }
        range = normalized;
        return null;
    }
}
