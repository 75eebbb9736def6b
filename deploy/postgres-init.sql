-- One database per PostgreSQL service: no service reads another's tables (docs/architecture.md).
-- Runs once, when the PostgreSQL volume is first initialised; erp lives on MariaDB.
CREATE DATABASE orders;
CREATE DATABASE processing;
CREATE DATABASE gateway;
CREATE DATABASE sync;
