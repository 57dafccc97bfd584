namespace Platform.Api.Invoices;

/// <summary>A line's period [start, end) in Unix seconds.</summary>
public sealed record InvoicePeriodResource(long Start, long End);
