-- One database per service (DESIGN.md §2), owned by the compose user.
-- Runs once, when the postgres-data volume is first created.
CREATE DATABASE activation OWNER hoclieu;
CREATE DATABASE template OWNER hoclieu;
CREATE DATABASE import OWNER hoclieu;
CREATE DATABASE notification OWNER hoclieu;
