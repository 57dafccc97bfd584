namespace Platform.Bench.Chaos;

/// <summary>One row of <c>invoices</c> as the checks read it, with the sum of its lines and its total priced in SQL from the usage log.</summary>
public sealed record InvoiceRow(string SubscriptionId, string Id, string Status, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd,
    string? Number, long? NumberSeq, long Total, long AmountPaid, string? PaymentIntentId, long LinesSum, long SqlTotal);
