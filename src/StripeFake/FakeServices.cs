using System.Text.Json.Nodes;
using Platform.StripeFake.Webhooks;
using Platform.StripeFake.Wire;

namespace Platform.StripeFake;

/// <summary>What every handler needs, injected as one <c>[AsParameters]</c> record.</summary>
internal sealed record FakeServices(StripeFakeState State, WebhookOutbox Webhooks, StripeFakeOptions Options)
{
    public long Now => StripeJson.Now(Options.TimeProvider);

    /// <summary>A copy of a live object with the request's <c>expand[]</c> applied.</summary>
    public IResult Render(JsonObject live, FormRequest form)
    {
        lock (State.Sync)
        {
            var copy = (JsonObject)live.DeepClone();
            StripeJson.Expand(copy, form.Expand, id => State.Find(id)?.DeepClone() as JsonObject);
            return StripeJson.Ok(copy);
        }
    }

    public JsonObject Publish(string type, JsonObject obj, RequestInfo request, JsonObject? previous = null) =>
        Webhooks.Publish(type, obj, previous, request);
}
