-- Teams: named groups of agents of one territory, used as a search filter. domain.md §4;
-- slots.md §7 (teams expand to their members). Members must have a role in the territory
-- (cross-table rule, checked by the application).

CREATE TABLE teams (
    id INTEGER PRIMARY KEY,
    territory_id INTEGER NOT NULL REFERENCES territories(id) ON DELETE CASCADE,
    name TEXT NOT NULL CHECK (name <> ''),
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
    UNIQUE (territory_id, name)         -- domain.md §4: name unique per territory; indexes the FK
) STRICT;

CREATE TABLE agent_teams (
    id INTEGER PRIMARY KEY,
    team_id INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    agent_id INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
    UNIQUE (team_id, agent_id)          -- expands a team to its members (slots.md §7)
) STRICT;
-- FK agent_id; an agent's teams.
CREATE INDEX agent_teams_agent_id ON agent_teams (agent_id);
