using System.Text.Json.Nodes;
using Platform.StripeFake.PaymentMethods;
using Platform.StripeFake.Webhooks;
using Platform.StripeFake.Wire;

namespace Platform.StripeFake.SetupIntents;

/// <summary><c>/v1/setup_intents</c>: create, retrieve, confirm (attaches the card), cancel.</summary>
internal static class SetupIntentsApi
{
    public static IEndpointRouteBuilder MapSetupIntentsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/setup_intents").WithTags("SetupIntents");
        group.MapPost("/", CreateAsync).WithName("CreateSetupIntent");
        group.MapGet("/{id}", GetAsync).WithName("GetSetupIntent");
        group.MapPost("/{id}/confirm", ConfirmAsync).WithName("ConfirmSetupIntent");
        group.MapPost("/{id}/cancel", CancelAsync).WithName("CancelSetupIntent");
        return app;
    }

    public static JsonObject Create(FakeServices services, string? customerId, IReadOnlyList<string> types, string usage, RequestInfo request)
    {
        if (customerId is not null)
        {
            services.State.Require(customerId, "customer", "customer");
        }

        var id = StripeJson.NewId("seti");
        var setupIntent = new JsonObject
        {
            ["id"] = id,
            ["object"] = "setup_intent",
            ["application"] = null,
            ["automatic_payment_methods"] = null,
            ["cancellation_reason"] = null,
            ["client_secret"] = StripeJson.NewSecret(id),
            ["created"] = services.Now,
            ["customer"] = customerId,
            ["description"] = null,
            ["flow_directions"] = null,
            ["last_setup_error"] = null,
            ["latest_attempt"] = null,
            ["livemode"] = false,
            ["mandate"] = null,
            ["metadata"] = new JsonObject(),
            ["next_action"] = null,
            ["on_behalf_of"] = null,
            ["payment_method"] = null,
            ["payment_method_options"] = new JsonObject(),
            ["payment_method_types"] = new JsonArray([.. (types.Count == 0 ? ["card"] : types).Select(t => (JsonNode?)t)]),
            ["single_use_mandate"] = null,
            ["status"] = "requires_payment_method",
            ["usage"] = usage,
        };
        services.State.Add(setupIntent, request.IdempotencyKey);
        services.Publish("setup_intent.created", setupIntent, request);
        return setupIntent;
    }

    public static void Confirm(FakeServices services, JsonObject setupIntent, string? paymentMethodId, RequestInfo request)
    {
        var status = (string?)setupIntent["status"];
        if (status is not ("requires_payment_method" or "requires_confirmation" or "requires_action"))
        {
            throw new StripeApiException(400, "invalid_request_error",
                $"You cannot confirm this SetupIntent because it has a status of {status}.", "setup_intent_unexpected_state");
        }

        var pmId = paymentMethodId ?? (string?)setupIntent["payment_method"]
            ?? throw StripeApiException.InvalidRequest(
                "You cannot confirm this SetupIntent because it's missing a payment method. Update it with a payment_method.",
                "payment_method",
                "setup_intent_unexpected_state");
        var paymentMethod = PaymentMethodsApi.Resolve(services, pmId, "payment_method");
        setupIntent["payment_method"] = paymentMethod["id"]?.DeepClone();
        var card = PaymentMethodsApi.CardOf(services, paymentMethod);
        if (card.Behavior == CardBehavior.RequiresAuthentication)
        {
            setupIntent["status"] = "requires_action";
            setupIntent["next_action"] = new JsonObject { ["type"] = "use_stripe_sdk", ["use_stripe_sdk"] = new JsonObject() };
            services.Publish("setup_intent.requires_action", setupIntent, request);
            return;
        }

        Succeed(services, setupIntent, request);
    }

    /// <summary>Finishes a setup: status succeeded and the card attached to the customer.</summary>
    public static void Succeed(FakeServices services, JsonObject setupIntent, RequestInfo request)
    {
        setupIntent["status"] = "succeeded";
        setupIntent["next_action"] = null;
        setupIntent["last_setup_error"] = null;
        if ((string?)setupIntent["customer"] is { } customerId
            && services.State.Find((string?)setupIntent["payment_method"]) is { } paymentMethod)
        {
            PaymentMethodsApi.Attach(services, paymentMethod, customerId, request);
        }

        services.Publish("setup_intent.succeeded", setupIntent, request);
    }

    private static async Task<IResult> CreateAsync(HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        var request = RequestInfo.From(http);
        lock (services.State.Sync)
        {
            var setupIntent = Create(services, form.GetString("customer"), form.GetStrings("payment_method_types"), form.GetString("usage") ?? "off_session", request);
            if (form.Has("metadata"))
            {
                Metadata.Apply(setupIntent, form.Root["metadata"]);
            }

            setupIntent["description"] = form.GetString("description");
            if (form.GetString("payment_method") is { } paymentMethodId)
            {
                setupIntent["payment_method"] = PaymentMethodsApi.Resolve(services, paymentMethodId, "payment_method")["id"]?.DeepClone();
                setupIntent["status"] = "requires_confirmation";
            }

            if (form.GetBool("confirm") == true)
            {
                Confirm(services, setupIntent, null, request);
            }

            return services.Render(setupIntent, form);
        }
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        lock (services.State.Sync)
        {
            return services.Render(services.State.Require(id, "setup_intent"), form);
        }
    }

    private static async Task<IResult> ConfirmAsync(string id, HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        var request = RequestInfo.From(http);
        lock (services.State.Sync)
        {
            var setupIntent = services.State.Require(id, "setup_intent");
            Confirm(services, setupIntent, form.GetString("payment_method"), request);
            return services.Render(setupIntent, form);
        }
    }

    private static async Task<IResult> CancelAsync(string id, HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        var request = RequestInfo.From(http);
        lock (services.State.Sync)
        {
            var setupIntent = services.State.Require(id, "setup_intent");
            if ((string?)setupIntent["status"] is "succeeded" or "canceled")
            {
                throw new StripeApiException(400, "invalid_request_error",
                    $"You cannot cancel this SetupIntent because it has a status of {setupIntent["status"]}.", "setup_intent_unexpected_state");
            }

            setupIntent["status"] = "canceled";
            setupIntent["cancellation_reason"] = form.GetString("cancellation_reason");
            services.Publish("setup_intent.canceled", setupIntent, request);
            return services.Render(setupIntent, form);
        }
    }
}
