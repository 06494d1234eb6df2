// Package reports holds street reports: a resident (or an agent at a desk
// for them) tells the city about a problem in public space, in a category
// the admin maps to the city service in charge; officials of that service
// move the report through its states, each change with a message on the
// report's public timeline; the reporter and the service talk on it, and
// other residents confirm it ("me too").
//
// Points are stored as integer microdegrees with two grid cells (0.01°
// and 0.1° squares) indexed by plain B-trees, so "reports in this box"
// and "near this point" work the same on SQLite and PostgreSQL (see
// docs/REPORTS.md). The Open311 API and the pages live in frontend.
package reports
