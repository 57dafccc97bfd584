namespace Platform.StripeFake.Tests;

/// <summary>Tests share one fake; faults are global to it, so the collection runs its tests one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class StripeFakeCollection : ICollectionFixture<StripeFakeFixture>
{
    public const string Name = "StripeFake";
}
