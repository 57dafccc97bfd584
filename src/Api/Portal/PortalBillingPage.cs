using System.Text;
using Platform.Api.Common;
using Platform.Grains.Interfaces.Customers;
using Platform.Grains.Interfaces.Portal;
using static Platform.Api.Portal.PortalHtml;

namespace Platform.Api.Portal;

/// <summary>
/// Billing details: name and email (the customer record, audited by the customer grain) and the billing address
/// and tax id (audited by <see cref="ICustomerBillingDetailsGrain"/>). Invalid input comes back with the reasons.
/// </summary>
public static class PortalBillingPage
{
    private const int MaxField = 200;

    private static readonly (string Name, string Label, string Autocomplete)[] AddressFields =
    [
        ("line1", "Address line 1", "address-line1"),
        ("line2", "Address line 2", "address-line2"),
        ("city", "City", "address-level2"),
        ("postal_code", "Postal code", "postal-code"),
        ("state", "State or region", "address-level1"),
        ("country", "Country (two letters, e.g. DE)", "country"),
    ];

    public static RouteGroupBuilder MapPortalBilling(this RouteGroupBuilder portal)
    {
        portal.MapGet("/billing", Show);
        portal.MapPost("/billing", Save);
        return portal;
    }

    public static async Task Show(HttpContext http, IGrainFactory grains, string? done)
    {
        var view = await PortalPages.ViewAsync(http, grains);
        var values = await ValuesAsync(grains, view.Customer);
        await WriteAsync(http, 200, Page(view, PortalRoutes.Billing, "Billing details",
            Notice(done == "saved" ? "Your billing details were saved." : null) + Form(view, values, new Dictionary<string, string>())));
    }

    public static async Task Save(HttpContext http, IGrainFactory grains)
    {
        if (!await PortalPages.ValidFormAsync(http))
        {
            return;
        }
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in new[] { "name", "email", "tax_id_type", "tax_id" }.Concat(AddressFields.Select(f => f.Name)))
        {
            values[name] = form[name].ToString().Trim();
        }
        values["country"] = values["country"].ToUpperInvariant();
        values["tax_id"] = values["tax_id"].ToUpperInvariant();
        var errors = Errors(values);
        var view = await PortalPages.ViewAsync(http, grains);
        if (errors.Count > 0)
        {
            await WriteAsync(http, 400, Page(view, PortalRoutes.Billing, "Billing details", Form(view, values, errors)));
            return;
        }
        await grains.GetGrain<ICustomerGrain>(view.Customer.Key).UpdateAsync(
            new CustomerPatch(Nullable(values["email"]), Nullable(values["name"]), null, null));
        await grains.GetGrain<ICustomerBillingDetailsGrain>(view.Customer.Key).SetAsync(new BillingDetails(
            Nullable(values["line1"]), Nullable(values["line2"]), Nullable(values["city"]), Nullable(values["postal_code"]),
            Nullable(values["state"]), Nullable(values["country"]), Nullable(values["tax_id_type"]), Nullable(values["tax_id"])));
        PortalPages.Done(http, PortalRoutes.Billing, "saved");
    }

    private static Dictionary<string, string> Errors(IReadOnlyDictionary<string, string> values)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            if (value.Length > MaxField || value.Any(char.IsControl))
            {
                errors[name] = $"At most {MaxField} characters.";
            }
        }
        if (values["email"].Length > 0 && Validation.Email("email", values["email"]) is not null)
        {
            errors["email"] = "Enter an email address like name@example.com.";
        }
        if (values["country"].Length > 0 && (values["country"].Length != 2 || !values["country"].All(char.IsAsciiLetterUpper)))
        {
            errors["country"] = "Use the two-letter country code, e.g. DE or US.";
        }
        if (TaxIds.Problem(Nullable(values["tax_id_type"]), Nullable(values["tax_id"])) is { } taxProblem)
        {
            errors["tax_id"] = taxProblem;
        }
        return errors;
    }

    private static async Task<Dictionary<string, string>> ValuesAsync(IGrainFactory grains, PortalCustomer customer)
    {
        var self = await grains.GetGrain<ICustomerGrain>(customer.Key).GetAsync();
        var d = await grains.GetGrain<ICustomerBillingDetailsGrain>(customer.Key).GetAsync();
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["name"] = self?.Name ?? "", ["email"] = self?.Email ?? "", ["line1"] = d?.Line1 ?? "", ["line2"] = d?.Line2 ?? "",
            ["city"] = d?.City ?? "", ["postal_code"] = d?.PostalCode ?? "", ["state"] = d?.State ?? "", ["country"] = d?.Country ?? "",
            ["tax_id_type"] = d?.TaxIdType ?? "", ["tax_id"] = d?.TaxIdValue ?? "",
        };
    }

    private static string Form(PortalView view, IReadOnlyDictionary<string, string> values, IReadOnlyDictionary<string, string> errors)
    {
        var html = new StringBuilder();
        if (errors.Count > 0)
        {
            html.Append("<div class=\"errors\" role=\"alert\" id=\"errors\"><h2>Please correct:</h2><ul>");
            foreach (var (name, message) in errors)
            {
                html.Append("<li><a href=\"#f-").Append(name).Append("\">").Append(E(message)).Append("</a></li>");
            }
            html.Append("</ul></div>");
        }
        html.Append("<form method=\"post\" action=\"").Append(PortalRoutes.Billing).Append("\" class=\"card form\">").Append(Csrf(view))
            .Append("<fieldset><legend>Contact</legend>")
            .Append(Field("name", "Name", "name", values, errors)).Append(Field("email", "Email", "email", values, errors, "email"))
            .Append("</fieldset><fieldset><legend>Billing address</legend>");
        foreach (var (name, label, autocomplete) in AddressFields)
        {
            html.Append(Field(name, label, autocomplete, values, errors));
        }
        html.Append("</fieldset><fieldset><legend>Tax id</legend><div class=\"field\"><label for=\"f-tax_id_type\">Kind</label>")
            .Append("<select id=\"f-tax_id_type\" name=\"tax_id_type\"><option value=\"\">None</option>");
        foreach (var (type, rule) in TaxIds.Types)
        {
            html.Append("<option value=\"").Append(type).Append('"').Append(values["tax_id_type"] == type ? " selected" : "").Append('>')
                .Append(E(rule.Label)).Append("</option>");
        }
        html.Append("</select></div>").Append(Field("tax_id", "Number", "off", values, errors))
            .Append("</fieldset><button type=\"submit\" class=\"button\">Save billing details</button></form>");
        return html.ToString();
    }

    private static string Field(string name, string label, string autocomplete, IReadOnlyDictionary<string, string> values,
        IReadOnlyDictionary<string, string> errors, string type = "text")
    {
        var error = errors.GetValueOrDefault(name);
        var html = new StringBuilder("<div class=\"field\"><label for=\"f-").Append(name).Append("\">").Append(E(label)).Append("</label><input id=\"f-")
            .Append(name).Append("\" name=\"").Append(name).Append("\" type=\"").Append(type).Append("\" autocomplete=\"").Append(autocomplete)
            .Append("\" value=\"").Append(E(values.GetValueOrDefault(name))).Append('"');
        if (error is not null)
        {
            html.Append(" aria-invalid=\"true\" aria-describedby=\"e-").Append(name).Append('"');
        }
        html.Append('>');
        if (error is not null)
        {
            html.Append("<p class=\"field-error\" id=\"e-").Append(name).Append("\">").Append(E(error)).Append("</p>");
        }
        return html.Append("</div>").ToString();
    }

    private static string? Nullable(string value) => value.Length == 0 ? null : value;
}
