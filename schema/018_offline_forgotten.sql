-- How far back the idRequete records may already be forgotten (doc/api.md,
-- "Selling offline"): the newest receiving time a purge has let go, in ms.
-- Records live a day past dureeMax; once dureeMax is raised, a sale sent again
-- could be older than its record's purge and still within the new dureeMax.
-- Such a sale is expired, never charged a second time.
ALTER TABLE offline_rules ADD COLUMN forgotten_ms INTEGER NOT NULL DEFAULT 0
	CHECK (typeof(forgotten_ms) = 'integer');
