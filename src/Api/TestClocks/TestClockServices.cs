using Microsoft.Extensions.Options;

namespace Platform.Api.TestClocks;

/// <summary>What the test clock handlers need, bound with [AsParameters].</summary>
public sealed record TestClockServices(IGrainFactory Grains, HttpContext Http, IOptions<TestClockSettings> Settings);
