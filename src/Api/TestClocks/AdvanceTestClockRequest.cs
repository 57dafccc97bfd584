using Platform.Api.OpenApi;

namespace Platform.Api.TestClocks;

/// <summary>The body of POST /v1/test_clocks/{id}/advance: the new time (Unix seconds), later than the clock's.</summary>
public sealed record AdvanceTestClockRequest([property: RequiredField] long? FrozenTime);
