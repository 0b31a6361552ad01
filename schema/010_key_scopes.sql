-- An API key's scopes (its portee, doc/integrators.md), as the bits of
-- oauth_tokens.scopes plus 16 for flux (the live feed only, for a wall
-- screen). NULL: every scope, as for the keys made before there were any.
ALTER TABLE api_keys ADD COLUMN scopes INTEGER CHECK (scopes IS NULL OR scopes BETWEEN 1 AND 31);
