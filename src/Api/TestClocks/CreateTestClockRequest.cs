using Platform.Api.OpenApi;

namespace Platform.Api.TestClocks;

/// <summary>The body of POST /v1/test_clocks: the clock's starting time (Unix seconds) and an optional name.</summary>
public sealed record CreateTestClockRequest([property: RequiredField] long? FrozenTime, string? Name);
