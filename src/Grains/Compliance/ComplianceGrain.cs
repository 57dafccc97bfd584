using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Concurrency;
using Platform.Grains.Common;
using Platform.Grains.DataProtection;
using Platform.Grains.Interfaces.Audit;
using Platform.Grains.Interfaces.CardData;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Compliance;

namespace Platform.Grains.Compliance;

/// <summary>
/// The cluster side of GET /v1/compliance/report: asks every active silo for its own posture (a grain
/// pinned to it), then checks the PCI controls against what the silos said, the audit chains and a
/// sample of stored rows. Read-only; it changes nothing it inspects.
/// </summary>
[StatelessWorker(1)]
public sealed class ComplianceGrain(
    NpgsqlDataSource dataSource,
    ResourceIndex index,
    EnvelopeEncryption envelope,
    FieldProtector keyRing,
    TimeProvider clock,
    ILogger<ComplianceGrain> logger) : Grain, IComplianceGrain
{
    /// <summary>Rows per table read for the PAN sample (the newest).</summary>
    public const int SampleRows = 1000;

    /// <summary>Tenant chains verified besides the platform chain (the newest tenants; a full sweep is GET /v1/audit_events/verify per tenant).</summary>
    public const int ChainsVerified = 20;

    /// <summary>A report younger than this is answered again rather than recomputed: the checks read whole chains and many rows.</summary>
    public static readonly TimeSpan ReuseFor = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan _siloTimeout = TimeSpan.FromSeconds(10);

    private ClusterAssessment? _last;

    public async Task<ClusterAssessment> AssessAsync()
    {
        if (_last is { } last && clock.GetUtcNow() - last.Generated < ReuseFor)
        {
            return last;
        }
        var hosts = await GrainFactory.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        var answers = await Task.WhenAll(hosts.Keys.OrderBy(s => s.ToParsableString(), StringComparer.Ordinal).Select(AskAsync));
        var postures = answers.OfType<SiloPosture>().ToList();
        var unreachable = hosts.Keys.Select(s => s.ToParsableString()).Except(postures.Select(p => p.Silo)).Order(StringComparer.Ordinal).ToList();
        var checks = new List<ComplianceCheck>
        {
            PciSilosPresent(postures),
            PciGrainsOnlyOnPciSilos(postures, unreachable),
            StripeSecretsOnlyOnPciSilos(postures, unreachable),
            StripeKeyMode(postures),
            StripeWebhookSecret(postures),
            await DataKeyAsync(postures),
            await AuditChainsAsync(),
            await NoPanInStorageAsync(),
            Retention(postures),
        };
        _last = new ClusterAssessment(postures, checks, clock.GetUtcNow());
        return _last;
    }

    private async Task<SiloPosture?> AskAsync(SiloAddress silo)
    {
        try
        {
            return await GrainFactory.GetGrain<ISiloPostureGrain>(silo.ToParsableString()).GetAsync().WaitAsync(_siloTimeout);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogWarning(e, "Silo {Silo} did not report its posture", silo);
            return null;
        }
    }

    private static ComplianceCheck PciSilosPresent(List<SiloPosture> postures)
    {
        var pci = postures.Where(p => p.IsPci && p.PciGrainClasses.Count > 0).Select(p => p.Silo).ToArray();
        return Check(ComplianceChecks.PciSilosPresent, "1.2/1.3 network segmentation: a separate pci silo pool hosts the cardholder-data environment",
            pci.Length > 0, pci.Length > 0 ? $"pci silos: {string.Join(", ", pci)}" : $"no silo of {postures.Count} has the pci role and PCI grain classes");
    }

    private static ComplianceCheck PciGrainsOnlyOnPciSilos(List<SiloPosture> postures, List<string> unreachable)
    {
        var misplaced = postures.Where(p => !p.IsPci && (p.PciGrainClasses.Count > 0 || p.PciActivations > 0))
            .Select(p => $"{p.Silo} (core) can host [{string.Join(", ", p.PciGrainClasses)}], {p.PciActivations} active").ToArray();
        var evidence = misplaced.Length > 0 ? string.Join("; ", misplaced)
            : string.Join("; ", postures.Select(p => $"{p.Silo} [{string.Join(',', p.Roles)}]: {p.PciGrainClasses.Count} PCI classes, {p.PciActivations} PCI activations"));
        if (unreachable.Count > 0)
        {
            evidence += $"; silos that did not answer: {string.Join(", ", unreachable)}";
        }
        return Check(ComplianceChecks.PciGrainsOnlyOnPciSilos, "1.3/2.2 PCI grains are hosted and active only on pci silos",
            misplaced.Length == 0 && unreachable.Count == 0, evidence);
    }

    private static ComplianceCheck StripeSecretsOnlyOnPciSilos(List<SiloPosture> postures, List<string> unreachable)
    {
        var leaked = postures.Where(p => !p.IsPci && (p.StripeSecretConfigured || p.StripeWebhookSecretConfigured)).Select(p => p.Silo).ToArray();
        var evidence = leaked.Length > 0
            ? $"core silos with a Stripe secret configured: {string.Join(", ", leaked)}"
            : $"{postures.Count(p => !p.IsPci)} core-only silos without Stripe secrets; {postures.Count(p => p.IsPci && p.StripeSecretConfigured)} pci silos with a secret key";
        if (unreachable.Count > 0)
        {
            evidence += $"; silos that did not answer: {string.Join(", ", unreachable)}";
        }
        return Check(ComplianceChecks.StripeSecretsOnlyOnPciSilos, "3.5/7.2 Stripe secret keys exist only in the cardholder-data environment",
            leaked.Length == 0 && unreachable.Count == 0, evidence);
    }

    private static ComplianceCheck StripeKeyMode(List<SiloPosture> postures)
    {
        var pci = postures.Where(p => p.IsPci).ToArray();
        var wrong = pci.Where(p => p.StripeKeyMode != ExpectedMode(p.Environment)).ToArray();
        return Check(ComplianceChecks.StripeKeyMode, "6.5.3/6.5.4 test and live keys separated: live keys only in production, test keys everywhere else",
            pci.Length > 0 && wrong.Length == 0,
            pci.Length == 0 ? "no pci silo" : string.Join("; ", pci.Select(p => $"{p.Silo}: environment {p.Environment}, key mode {p.StripeKeyMode ?? "none"} (expected {ExpectedMode(p.Environment)})")));
    }

    private static string ExpectedMode(string environment) => environment == "Production" ? "live" : "test";

    private static ComplianceCheck StripeWebhookSecret(List<SiloPosture> postures)
    {
        var pci = postures.Where(p => p.IsPci).ToArray();
        var missing = pci.Where(p => !p.StripeWebhookSecretConfigured).Select(p => p.Silo).ToArray();
        return Check(ComplianceChecks.StripeWebhookSecret, "4.2/6.4 incoming Stripe webhooks are verified: a signing secret on every pci silo",
            pci.Length > 0 && missing.Length == 0,
            pci.Length == 0 ? "no pci silo" : missing.Length > 0 ? $"pci silos without Stripe:WebhookSecret: {string.Join(", ", missing)}" : $"{pci.Length} pci silos have Stripe:WebhookSecret");
    }

    private async Task<ComplianceCheck> DataKeyAsync(List<SiloPosture> postures)
    {
        var problems = postures.Where(p => !p.DataKeyConfigured || p.DataKeyWeak)
            .Select(p => $"{p.Silo}: {(!p.DataKeyConfigured ? "no Platform:DataKey" : "a weak or example Platform:DataKey")}").ToList();
        var ids = postures.Where(p => p.DataKeyConfigured).Select(p => p.DataKeyId).Distinct().ToArray();
        if (ids.Length > 1)
        {
            problems.Add($"silos disagree on the current key id: {string.Join(", ", ids)}");
        }
        var counts = await envelope.CountByKeyAsync();
        var live = string.Join(", ", counts.Where(c => c.Key.Length > 0).OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Value} under '{c.Key}'"));
        return Check(ComplianceChecks.DataKey, "3.5/3.6 data at rest encrypted (AES-256-GCM envelope) with a configured, strong, rotatable key",
            problems.Count == 0 && postures.Count > 0,
            problems.Count > 0 ? string.Join("; ", problems)
                : $"current key id '{keyRing.CurrentKeyId}' on {postures.Count} silos; data keys: {(live.Length == 0 ? "none yet" : live)}; shredded: {counts.GetValueOrDefault("")}");
    }

    private async Task<ComplianceCheck> AuditChainsAsync()
    {
        var (tenants, _) = await index.PageAsync(ResourceKinds.PlatformScope, ResourceKinds.Tenant, new PageRequest(ChainsVerified, null));
        long entries = 0;
        var broken = new List<string>();
        foreach (var chain in tenants.Prepend(IAuditLogGrain.PlatformChain))
        {
            var result = await GrainFactory.GetGrain<IAuditLogGrain>(chain).VerifyAsync();
            entries += result.EntriesChecked;
            if (!result.Intact)
            {
                broken.Add($"{chain} at entry {result.FirstBrokenSequence}: {result.Reason}");
            }
        }
        return Check(ComplianceChecks.AuditChain, "10.3 audit trail protected from change: hash chains verify",
            broken.Count == 0,
            broken.Count > 0 ? string.Join("; ", broken) : $"{tenants.Count + 1} chains (platform and the newest {tenants.Count} tenants), {entries} entries verified");
    }

    private async Task<ComplianceCheck> NoPanInStorageAsync()
    {
        var samples = new (string Table, string Sql)[]
        {
            ("usage_events", $"SELECT properties::text FROM usage_events WHERE properties IS NOT NULL ORDER BY seq DESC LIMIT {SampleRows}"),
            ("platform_events", $"SELECT data::text FROM platform_events ORDER BY seq DESC LIMIT {SampleRows}"),
            ("platform_audit_log", $"SELECT details::text || ' ' || subject FROM platform_audit_log ORDER BY occurred_at DESC LIMIT {SampleRows}"),
            ("platform_webhook_events", $"SELECT data::text FROM platform_webhook_events ORDER BY seq DESC LIMIT {SampleRows}"),
            ("OrleansStorage", $"SELECT PayloadBinary FROM OrleansStorage WHERE PayloadBinary IS NOT NULL ORDER BY ModifiedOn DESC LIMIT {SampleRows}"),
        };
        var scanned = 0;
        var found = new List<string>();
        foreach (var (table, sql) in samples)
        {
            await using var command = dataSource.CreateCommand(sql);
            await using var reader = await command.ExecuteReaderAsync();
            var hits = 0;
            while (await reader.ReadAsync())
            {
                var text = reader.GetValue(0) is byte[] bytes ? Encoding.UTF8.GetString(bytes) : reader.GetString(0);
                scanned++;
                hits += CardDataDetector.ContainsCardNumber(CardDataDetector.MaskOwnIdentifiers(text, hexTokens: true)) ? 1 : 0;
            }
            if (hits > 0)
            {
                found.Add($"{table}: {hits} rows");
            }
        }
        return Check(ComplianceChecks.NoPanInStorage, "3.3/3.4 no primary account number stored: a sample of the newest rows holds none",
            found.Count == 0,
            found.Count > 0 ? "rows that look like they hold a card number: " + string.Join("; ", found)
                : string.Create(CultureInfo.InvariantCulture, $"{scanned} rows scanned (newest {SampleRows} of usage_events, platform_events, platform_audit_log, platform_webhook_events, OrleansStorage); none holds a card number"));
    }

    private static ComplianceCheck Retention(List<SiloPosture> postures)
    {
        var retentions = postures.Select(p => p.EventRetention).Distinct().ToArray();
        var ok = postures.Count > 0 && retentions.All(r => r > TimeSpan.Zero && r <= TimeSpan.FromDays(365));
        return Check(ComplianceChecks.Retention, "3.2 retention limits: event log purged after its retention; usage log deletable after its minimum age",
            ok, string.Create(CultureInfo.InvariantCulture,
                $"event retention {string.Join("/", retentions.Select(r => r.TotalDays + " days"))}; usage rows deletable after {string.Join("/", postures.Select(p => p.UsageRetentionMinimumAge.TotalDays).Distinct())} days (DELETE /v1/usage_events); erased customers anonymized (POST /v1/customers/{{id}}/erase)"));
    }

    private static ComplianceCheck Check(string id, string requirement, bool pass, string evidence) =>
        new(id, requirement, pass ? CheckStatus.Pass : CheckStatus.Fail, evidence);
}
