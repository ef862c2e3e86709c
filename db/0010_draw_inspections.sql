-- Inspections naming a draw (SPEC §11), found by the draw's key: whether a draw's targets were
-- inspected (its results may be published only then; `ledger draw show`), and the obligations
-- read model's draw rows. Partial: only the few inspections that name a draw are indexed.
CREATE INDEX events_draw_inspections_idx ON ledger.events ((data ->> 'draw'))
    WHERE type = 'InstitutionInspected' AND data ? 'draw';
