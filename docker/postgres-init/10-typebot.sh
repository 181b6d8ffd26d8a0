#!/bin/sh
# Runs once, when the postgres volume is first initialised (docker-entrypoint-initdb.d): a role and a
# database for Typebot next to Chatwoot's. The password comes from TYPEBOT_DB_PASSWORD (.env).
set -eu
psql -v ON_ERROR_STOP=1 -v pw="$TYPEBOT_DB_PASSWORD" --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<'SQL'
CREATE ROLE typebot LOGIN PASSWORD :'pw';
CREATE DATABASE typebot OWNER typebot;
SQL
