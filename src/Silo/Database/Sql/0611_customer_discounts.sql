-- A coupon applied to a customer (Stripe's customer discount): it discounts the customer's invoices that have no
-- discount of their own (a subscription's coupon comes first). A `once` discount is spent by the finalization that
-- uses it, in that finalization's transaction (under this row's lock), so it discounts exactly one invoice.
ALTER TABLE customer_billing ADD COLUMN IF NOT EXISTS discount jsonb NULL;

-- A credit note may name the invoice lines it credits (`lines`: [{invoice_line, amount}]); each line is credited at
-- most its own amount after discount with its exclusive tax, over all of the invoice's credit notes.
ALTER TABLE credit_notes ADD COLUMN IF NOT EXISTS lines jsonb NOT NULL DEFAULT '[]';
