-- Runs once, when the PostgreSQL volume is first initialised: the schema registry keeps its schemas in a database of
-- its own next to careweave's store.
CREATE DATABASE registry OWNER careweave;
