package apps

import (
	_ "embed"
	"regexp"
	"slices"
	"strings"
)

// The closed lists of publiccode.yml v0.4 the catalogue checks values
// against, and filters by.

// Platforms are the predefined values of platforms. The standard also
// allows "human readable values outside this list", so others are kept.
var Platforms = []string{"web", "windows", "mac", "linux", "ios", "android"}

// Development statuses.
const (
	Concept     = "concept"
	Development = "development"
	Beta        = "beta"
	Stable      = "stable"
	Obsolete    = "obsolete"
)

// DevelopmentStatuses lists developmentStatus values, least mature first.
var DevelopmentStatuses = []string{Concept, Development, Beta, Stable, Obsolete}

// SoftwareTypes lists softwareType values.
var SoftwareTypes = []string{
	"standalone/mobile", "standalone/iot", "standalone/desktop", "standalone/web",
	"standalone/backend", "standalone/other", "addon", "library", "configurationFiles",
}

// Maintenance types.
const (
	MaintenanceInternal  = "internal"
	MaintenanceContract  = "contract"
	MaintenanceCommunity = "community"
	MaintenanceNone      = "none"
)

// MaintenanceTypes lists maintenance.type values.
var MaintenanceTypes = []string{MaintenanceInternal, MaintenanceContract, MaintenanceCommunity, MaintenanceNone}

// versionRE matches the publiccodeYmlVersion values read here: 0.2, 0.3
// and 0.4, with or without a patch number.
var versionRE = regexp.MustCompile(`^0\.[234](\.[0-9]+)?$`)

//go:embed categories.txt
var categoriesText string

//go:embed osi_licences.txt
var osiText string

// Categories is the standard's controlled vocabulary of categories, in
// alphabetical order.
var Categories = lines(categoriesText)

// osiLicences are the SPDX identifiers the OSI approved.
var osiLicences = lines(osiText)

// IsCategory reports whether c is in the vocabulary.
func IsCategory(c string) bool {
	_, ok := slices.BinarySearch(Categories, c)
	return ok
}

// lines returns the non-empty, non-comment lines of an embedded list.
func lines(s string) []string {
	var out []string
	for l := range strings.Lines(s) {
		l = strings.TrimSpace(l)
		if l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}
