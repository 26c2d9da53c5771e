"""Domain rules (D…): relations disclosures rely on that no generic footing check sees: VAT,
repayment schedules, bad-debt provisions, roll-forwards, yields and per-unit figures."""
