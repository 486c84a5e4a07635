/** Incident-review HTTP API, CSV export and dashboard over {@link io.statetrail.service.query.AuditQueries}. */
package io.statetrail.api;
