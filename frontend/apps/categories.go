package apps

import (
	"slices"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"agora/frontend/i18n"
	"agora/frontend/web"
)

// categoryGroups sorts the publiccode.yml categories (apps.Categories)
// into groups a reader can scan, for the catalogue's filter: each
// category is in exactly one group (a test checks it). Names are in the
// catalogues: app.category_group.<group> and app.category.<code>.
var categoryGroups = []struct {
	key   string
	codes []string
}{
	{"finance", []string{
		"accounting", "billing-and-invoicing", "budgeting", "financial-reporting", "grant-management",
		"payroll", "procurement", "taxes-management", "payment-gateway", "mobile-payment",
		"donor-management", "fundraising", "erp", "inventory-management", "warehouse-management",
		"fleet-management", "facility-management", "property-management", "real-estate-management",
		"compliance-management", "resource-management",
	}},
	{"public", []string{
		"digital-citizenship", "appointment-scheduling", "online-booking",
		"customer-service-and-support", "feedback-and-reviews-management", "survey",
		"visitor-management", "whistleblowing", "crm", "contact-management", "event-management",
		"help-desk", "service-desk", "call-center-management",
	}},
	{"people", []string{
		"applicant-tracking", "employee-management", "hr", "talent-management", "time-management",
		"time-tracking",
	}},
	{"content", []string{
		"content-management", "document-management", "digital-asset-management", "knowledge-management",
		"blog", "website-builder", "e-signature", "translation", "educational-content",
		"learning-management-system", "office", "productivity-suite", "mind-mapping", "graphic-design",
		"design", "design-system", "video-editing", "cad",
	}},
	{"communication", []string{
		"collaboration", "communications", "email-management", "email-marketing",
		"enterprise-social-networking", "instant-messaging", "online-community", "project-collaboration",
		"social-media-management", "video-conferencing", "voip", "web-collaboration", "web-conferencing",
		"marketing", "mobile-marketing", "seo", "sales-management", "e-commerce", "gamification",
	}},
	{"projects", []string{
		"agile-project-management", "enterprise-project-management", "project-management",
		"task-management", "workflow-management", "business-process-management",
	}},
	{"data", []string{
		"business-intelligence", "data-analytics", "data-collection", "data-visualization",
		"predictive-analysis", "geographic-information-systems",
	}},
	{"it", []string{
		"application-development", "backup", "cloud-management", "ide", "identity-management",
		"it-asset-management", "it-development", "it-management", "it-security", "it-service-management",
		"network-management", "remote-support", "test-management",
	}},
}

// categoryName is a category in the reader's words; a code the catalogue
// does not know (a remote app's) is shown as written.
func categoryName(l *i18n.Printer, code string) string { return vocabulary(l, "app.category.", code) }

// softwareTypeName is a softwareType in the reader's words.
func softwareTypeName(l *i18n.Printer, code string) string {
	return vocabulary(l, "app.software_type.", code)
}

// platformName is a platform in the reader's words; the standard allows
// free values besides its list, shown as written.
func platformName(l *i18n.Printer, code string) string { return vocabulary(l, "app.platform.", code) }

// languageName is a BCP 47 tag as the reader's language names it
// ("fr" is "français" on a French page, "French" on an English one).
func languageName(l *i18n.Printer, tag string) string {
	t, err := language.Parse(tag)
	if err != nil {
		return tag
	}
	if name := display.Tags(language.Make(l.Lang)).Name(t); name != "" {
		return name
	}
	return tag
}

func vocabulary(l *i18n.Printer, prefix, code string) string {
	if t := l.T(prefix + code); t != prefix+code {
		return t
	}
	return code
}

// names says each code of a list in the reader's words.
func names(l *i18n.Printer, codes []string, name func(*i18n.Printer, string) string) []string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = name(l, c)
	}
	return out
}

// categoryOptions are the choices of the category filter: "any", then
// each group with its categories in the reader's alphabetical order.
func categoryOptions(l *i18n.Printer) []web.Option {
	out := []web.Option{{Value: "", Label: l.T("app.list.any")}}
	for _, g := range categoryGroups {
		group := web.Option{Label: l.T("app.category_group." + g.key)}
		for _, c := range g.codes {
			group.Group = append(group.Group, web.Option{Value: c, Label: categoryName(l, c)})
		}
		coll := collate.New(language.Make(l.Lang))
		slices.SortFunc(group.Group, func(a, b web.Option) int { return coll.CompareString(a.Label, b.Label) })
		out = append(out, group)
	}
	return out
}
