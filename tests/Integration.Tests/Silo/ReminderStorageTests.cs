using Microsoft.Extensions.DependencyInjection;
using Platform.Integration.Tests.Infrastructure;

namespace Platform.Integration.Tests.Silo;

/// <summary>The real ADO.NET reminder provider against our schema, through the silo's own service.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ReminderStorageTests(ClusterFixture fixture)
{
    [Fact]
    public async Task ReminderTable_UpsertReadRemove_RoundTripsOnPostgreSql()
    {
        var table = fixture.Cluster.Silos[0].Services.GetRequiredService<IReminderTable>();
        var grainId = GrainId.Create("platform.test", Guid.NewGuid().ToString("N"));
        var entry = new ReminderEntry
        {
            GrainId = grainId,
            ReminderName = "period-rollover",
            StartAt = DateTime.UtcNow.AddMinutes(5),
            Period = TimeSpan.FromDays(30),
        };

        var etag = await table.UpsertRow(entry) ?? throw new InvalidOperationException("no etag");
        var read = await table.ReadRow(grainId, "period-rollover");
        var all = await table.ReadRows(grainId);

        Assert.NotNull(read);
        Assert.Equal(TimeSpan.FromDays(30), read.Period);
        Assert.Equal(etag, read.ETag);
        Assert.Single(all.Reminders);
        Assert.False(await table.RemoveRow(grainId, "period-rollover", (int.Parse(etag) + 1000).ToString()));
        Assert.True(await table.RemoveRow(grainId, "period-rollover", etag));
        Assert.Null(await table.ReadRow(grainId, "period-rollover"));
    }
}
