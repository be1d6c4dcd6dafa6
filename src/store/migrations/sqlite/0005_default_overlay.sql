-- 0005_default_overlay.sql: the registry's default overlay (docs/overlays.md), which
-- `spfloor overlay set FILE` stores and `entitlements` lays over the scheme library.
--
-- The file is kept whole, as given, so that it is checked against the library each time it is
-- used, and `overlay show` gives back exactly what was set.

CREATE TABLE default_overlay (
    slot       INTEGER PRIMARY KEY CHECK (slot = 1), -- one default overlay per registry
    overlay_id TEXT NOT NULL,                        -- the overlay's `id`
    body       TEXT NOT NULL                         -- the overlay file, as given
);
