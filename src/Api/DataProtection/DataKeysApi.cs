using Microsoft.AspNetCore.Http.HttpResults;
using Platform.Api.Auth;
using Platform.Grains.Interfaces.DataProtection;

namespace Platform.Api.DataProtection;

/// <summary>
/// The operator's key rotation (docs/DATA-PROTECTION.md): after configuring a new <c>Platform:DataKey</c>
/// (the old one kept under <c>Platform:DataKeys:&lt;id&gt;</c>), start the job that rewraps every data key
/// with it, then watch it until no data key is left under the old id.
/// </summary>
public static class DataKeysApi
{
    public static IEndpointRouteBuilder MapDataKeysApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/data_keys").WithTags("Data protection").RequireAuthorization(Policies.PlatformAdmin);
        group.MapPost("/rotation", StartDataKeyRotation).WithName("StartDataKeyRotation")
            .WithSummary("Rewrap every data key with the current Platform:DataKey (bounded batches, resumable)");
        group.MapGet("/rotation", GetDataKeyRotation).WithName("GetDataKeyRotation")
            .WithSummary("The re-encryption job's progress: data keys per wrapping key id");
        return app;
    }

    public static async Task<Ok<DataKeyRotationResource>> StartDataKeyRotation(IGrainFactory grains) =>
        TypedResults.Ok(DataKeyRotationResource.From(await grains.GetGrain<IDataKeyRotationGrain>(0).StartAsync()));

    public static async Task<Ok<DataKeyRotationResource>> GetDataKeyRotation(IGrainFactory grains) =>
        TypedResults.Ok(DataKeyRotationResource.From(await grains.GetGrain<IDataKeyRotationGrain>(0).GetAsync()));
}
