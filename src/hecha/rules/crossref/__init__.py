"""Cross-reference rules: one fact (metric, entity, period) stated in several places must agree
(X001 fact-restated-differently, X002 wrong-rounding), and the figures the exchange's question
quotes must match the reply (X003 inquiry-quote-mismatch)."""
