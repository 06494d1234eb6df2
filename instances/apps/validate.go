package apps

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
	"golang.org/x/text/language"
)

// Limits of the standard, and of this catalogue where the standard has
// none (so that one file cannot fill a page or a table).
const (
	maxShortDescription = 150
	minLongDescription  = 150
	maxLongDescription  = 10_000
	maxString           = 1000 // any other string
	maxList             = 100  // any list
)

// checker walks a node tree, collecting field errors.
type checker struct{ errs []FieldError }

func (c *checker) add(n *yaml.Node, path, code string, d Detail, format string, args ...any) {
	line := 0
	if n != nil {
		line = n.Line
	}
	c.errs = append(c.errs, FieldError{Path: path, Line: line, Code: code, Detail: d, Message: fmt.Sprintf(format, args...)})
}

// field is one key of a mapping: the key node (for its line) and value.
type field struct{ key, value *yaml.Node }

// object is a mapping read into its keys.
type object struct {
	node   *yaml.Node
	path   string
	fields map[string]field
}

// deref follows aliases. An alias never names another alias in a tree
// yaml.v3 builds (an alias cannot carry an anchor), so one step is all
// there is; the bound only keeps a hand-made cycle from looping.
func deref(n *yaml.Node) *yaml.Node {
	for range maxDepth {
		if n == nil || n.Kind != yaml.AliasNode {
			return n
		}
		n = n.Alias
	}
	return nil
}

func isNull(n *yaml.Node) bool {
	n = deref(n)
	return n == nil || n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// kindCode says what a node is, for translations: mapping, list,
// boolean, number, string or nothing.
func kindCode(n *yaml.Node) string {
	switch n = deref(n); {
	case n == nil:
		return "nothing"
	case n.Kind == yaml.MappingNode:
		return "mapping"
	case n.Kind == yaml.SequenceNode:
		return "list"
	case n.Tag == "!!bool":
		return "boolean"
	case n.Tag == "!!int", n.Tag == "!!float":
		return "number"
	}
	return "string"
}

// urlProblem is the problem of a value that is not the URL wanted.
func urlProblem(web bool) Problem {
	if web {
		return NotWebURL
	}
	return NotURL
}

// kindName says what a node is, for messages.
func kindName(n *yaml.Node) string {
	switch n = deref(n); {
	case n == nil:
		return "nothing"
	case n.Kind == yaml.MappingNode:
		return "a mapping"
	case n.Kind == yaml.SequenceNode:
		return "a list"
	case n.Tag == "!!bool":
		return "a boolean"
	case n.Tag == "!!int", n.Tag == "!!float":
		return "a number"
	}
	return "a string"
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// object reads a mapping, with merge keys (<<) applied: keys written in
// the mapping win over merged ones. It reports duplicate keys. It returns
// nil, having reported it, when n is not a mapping.
func (c *checker) object(n *yaml.Node, path string) *object {
	return c.mapping(n, path, 0)
}

// mapping is object for a mapping reached through depth merge keys: a
// merged mapping may merge others, read by a call of their own, and
// Parse refused cycles already, but the depth is bounded all the same.
func (c *checker) mapping(n *yaml.Node, path string, depth int) *object {
	n = deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		c.add(n, path, "type", Detail{Problem: WantMapping, Found: kindCode(n)}, "want a mapping, found %s", kindName(n))
		return nil
	}
	o := &object{node: n, path: path, fields: map[string]field{}}
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" {
			merges = append(merges, v)
			continue
		}
		if prev, dup := o.fields[k.Value]; dup {
			c.add(k, join(path, k.Value), "duplicate", Detail{Problem: DuplicateKey, FirstLine: prev.key.Line}, "key written twice (first at line %d)", prev.key.Line)
			continue
		}
		o.fields[k.Value] = field{k, v}
	}
	if len(merges) > 0 && depth >= maxMergeDepth {
		c.add(merges[0], path, "too_complex", Detail{Problem: MergeTooDeep, Max: maxMergeDepth}, "merge keys (<<) nest more than %d deep", maxMergeDepth)
		return o
	}
	for _, m := range merges {
		m = deref(m)
		if m == nil {
			continue
		}
		sources := []*yaml.Node{m}
		if m.Kind == yaml.SequenceNode {
			sources = m.Content
		}
		for _, s := range sources {
			s = deref(s)
			if s == nil || s.Kind != yaml.MappingNode {
				c.add(s, path, "type", Detail{Problem: MergeWantsMapping}, "a merge key (<<) wants a mapping")
				continue
			}
			merged := c.mapping(s, path, depth+1)
			for k, f := range merged.fields {
				if _, ok := o.fields[k]; !ok {
					o.fields[k] = f
				}
			}
		}
	}
	return o
}

// get returns a key's value, nil when absent or null; a required key
// missing is reported at the line of its section.
func (c *checker) get(o *object, key string, required bool) *yaml.Node {
	if o == nil {
		return nil
	}
	f, ok := o.fields[key]
	if !ok || isNull(f.value) {
		if required {
			line := o.node
			if ok {
				line = f.key
			}
			c.add(line, join(o.path, key), "required", Detail{Problem: Required}, "required")
		}
		return nil
	}
	return deref(f.value)
}

// scalar returns a string value. Numbers and dates are taken as written
// ("softwareVersion: 1.0"); booleans, lists and mappings are refused.
func (c *checker) scalar(n *yaml.Node, path string) (string, bool) {
	if n == nil {
		return "", false
	}
	if n.Kind != yaml.ScalarNode || n.Tag == "!!bool" || n.Tag == "!!binary" {
		c.add(n, path, "type", Detail{Problem: WantString, Found: kindCode(n)}, "want a string, found %s", kindName(n))
		return "", false
	}
	v := strings.TrimSpace(n.Value)
	if utf8.RuneCountInString(v) > maxString {
		c.add(n, path, "length", Detail{Problem: TooLong, N: utf8.RuneCountInString(v), Max: maxString}, "at most %d characters", maxString)
		return "", false
	}
	return v, true
}

// str reads a string key; required ones must not be empty.
func (c *checker) str(o *object, key string, required bool) (string, *yaml.Node) {
	n := c.get(o, key, required)
	v, ok := c.scalar(n, join(o.pathOf(), key))
	if ok && v == "" && required {
		c.add(n, join(o.pathOf(), key), "required", Detail{Problem: Required}, "required")
	}
	return v, n
}

func (o *object) pathOf() string {
	if o == nil {
		return ""
	}
	return o.path
}

// item is one string of a list, with its node and path.
type item struct {
	value string
	node  *yaml.Node
	path  string
}

// list reads a list of strings. A single string is accepted where the
// standard allows it (asOne). Empty items are reported and left out.
func (c *checker) list(o *object, key string, required, asOne bool) ([]item, *yaml.Node) {
	n := c.get(o, key, required)
	path := join(o.pathOf(), key)
	if n == nil {
		return nil, nil
	}
	if asOne && n.Kind == yaml.ScalarNode {
		v, ok := c.scalar(n, path)
		if ok && v == "" && required {
			c.add(n, path, "required", Detail{Problem: Required}, "required")
		}
		if !ok || v == "" {
			return nil, n
		}
		return []item{{v, n, path}}, n
	}
	if n.Kind != yaml.SequenceNode {
		c.add(n, path, "type", Detail{Problem: WantList, Found: kindCode(n)}, "want a list, found %s", kindName(n))
		return nil, n
	}
	if len(n.Content) > maxList {
		c.add(n, path, "length", Detail{Problem: TooMany, N: len(n.Content), Max: maxList}, "at most %d items", maxList)
		return nil, n
	}
	if required && len(n.Content) == 0 {
		c.add(n, path, "required", Detail{Problem: EmptyList}, "the list is empty")
	}
	var out []item
	for i, in := range n.Content {
		ipath := fmt.Sprintf("%s[%d]", path, i)
		if isNull(in) {
			c.add(in, ipath, "required", Detail{Problem: EmptyItem}, "empty item")
			continue
		}
		if v, ok := c.scalar(deref(in), ipath); ok {
			if v == "" {
				c.add(in, ipath, "required", Detail{Problem: EmptyItem}, "empty item")
				continue
			}
			out = append(out, item{v, deref(in), ipath})
		}
	}
	return out, n
}

// strings reads a list of strings, values only.
func (c *checker) strings(o *object, key string, required, asOne bool) ([]string, *yaml.Node) {
	items, n := c.list(o, key, required, asOne)
	return values(items), n
}

func values(items []item) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.value)
	}
	return out
}

// objects reads a list of mappings.
func (c *checker) objects(o *object, key string, required bool) []*object {
	n := c.get(o, key, required)
	path := join(o.pathOf(), key)
	if n == nil {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		c.add(n, path, "type", Detail{Problem: WantList, Found: kindCode(n)}, "want a list, found %s", kindName(n))
		return nil
	}
	if len(n.Content) > maxList {
		c.add(n, path, "length", Detail{Problem: TooMany, N: len(n.Content), Max: maxList}, "at most %d items", maxList)
		return nil
	}
	if required && len(n.Content) == 0 {
		c.add(n, path, "required", Detail{Problem: EmptyList}, "the list is empty")
	}
	var out []*object
	for i, item := range n.Content {
		if m := c.object(item, fmt.Sprintf("%s[%d]", path, i)); m != nil {
			out = append(out, m)
		}
	}
	return out
}

// boolean reads true or false.
func (c *checker) boolean(o *object, key string, required bool) bool {
	n := c.get(o, key, required)
	if n == nil {
		return false
	}
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		c.add(n, join(o.pathOf(), key), "type", Detail{Problem: WantBool, Found: kindCode(n)}, "want true or false, found %s", kindName(n))
		return false
	}
	return strings.EqualFold(n.Value, "true")
}

// oneOf checks a value against a closed list.
func (c *checker) oneOf(n *yaml.Node, path, v string, allowed []string) {
	if v != "" && !slices.Contains(allowed, v) {
		c.add(n, path, "value", Detail{Problem: NotOneOf, Value: v, Allowed: allowed}, "%q is not one of %s", v, strings.Join(allowed, ", "))
	}
}

// url checks an absolute URL with a host; web ones are http or https.
func (c *checker) url(n *yaml.Node, path, v string, web bool) {
	if v == "" {
		return
	}
	u, err := url.Parse(v)
	ok := err == nil && u.Scheme != "" && u.Host != ""
	if ok && web {
		ok = u.Scheme == "http" || u.Scheme == "https"
	}
	if !ok {
		want := "an absolute URL"
		if web {
			want = "an http or https URL"
		}
		c.add(n, path, "url", Detail{Problem: urlProblem(web), Value: v}, "%q is not %s", v, want)
	}
}

// date checks YYYY-MM-DD.
func (c *checker) date(n *yaml.Node, path, v string) {
	if v == "" {
		return
	}
	if _, err := time.Parse(time.DateOnly, v); err != nil {
		c.add(n, path, "date", Detail{Problem: NotDate, Value: v}, "%q is not a date written YYYY-MM-DD", v)
	}
}

// languageTag checks a BCP 47 tag and returns its canonical form.
func languageTag(s string) (string, bool) {
	if s == "" || strings.ContainsAny(s, "_ ") {
		return "", false
	}
	t, err := language.Parse(s)
	if err != nil {
		return "", false
	}
	return t.String(), true
}

// decode checks a document against publiccode.yml v0.4 and returns it.
func decode(doc *yaml.Node) (*PublicCode, []FieldError) {
	c := &checker{}
	root := doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	top := c.object(root, "")
	if top == nil {
		return nil, c.errs
	}
	pc := &PublicCode{}

	v, n := c.str(top, "publiccodeYmlVersion", true)
	if v != "" && !versionRE.MatchString(v) {
		c.add(n, "publiccodeYmlVersion", "value", Detail{Problem: UnknownVersion, Value: v}, "version %q is not supported (want 0.2, 0.3 or 0.4)", v)
	}
	pc.Version = v
	pc.Name, _ = c.str(top, "name", true)
	pc.ApplicationSuite, _ = c.str(top, "applicationSuite", false)
	pc.URL, n = c.str(top, "url", true)
	c.url(n, "url", pc.URL, false)
	pc.LandingURL, n = c.str(top, "landingURL", false)
	c.url(n, "landingURL", pc.LandingURL, true)
	pc.IsBasedOn, _ = c.strings(top, "isBasedOn", false, true)
	pc.OrganisationURI, _ = c.str(top, "organizationUri", false)
	pc.SoftwareVersion, _ = c.str(top, "softwareVersion", false)
	pc.ReleaseDate, n = c.str(top, "releaseDate", false)
	c.date(n, "releaseDate", pc.ReleaseDate)
	pc.Logo, _ = c.str(top, "logo", false)
	pc.Roadmap, n = c.str(top, "roadmap", false)
	c.url(n, "roadmap", pc.Roadmap, true)
	pc.UsedBy, _ = c.strings(top, "usedBy", false, false)

	pc.Platforms, _ = c.strings(top, "platforms", true, true)
	pc.Platforms = dedupe(pc.Platforms)
	cats, _ := c.list(top, "categories", true, false)
	for _, cat := range cats {
		if !IsCategory(cat.value) {
			c.add(cat.node, cat.path, "category", Detail{Problem: UnknownCategory, Value: cat.value}, "%q is not in the publiccode.yml list of categories", cat.value)
		}
	}
	pc.Categories = dedupe(values(cats))
	pc.DevelopmentStatus, n = c.str(top, "developmentStatus", true)
	c.oneOf(n, "developmentStatus", pc.DevelopmentStatus, DevelopmentStatuses)
	pc.SoftwareType, n = c.str(top, "softwareType", true)
	c.oneOf(n, "softwareType", pc.SoftwareType, SoftwareTypes)

	pc.Description = c.descriptions(top)
	pc.Legal = c.legal(top)
	pc.Maintenance = c.maintenance(top)
	pc.Localisation = c.localisation(top)
	if len(c.errs) > 0 {
		return nil, c.errs
	}
	return pc, nil
}

func (c *checker) descriptions(top *object) map[string]Description {
	n := c.get(top, "description", true)
	if n == nil {
		return nil
	}
	o := c.object(n, "description")
	if o == nil {
		return nil
	}
	if len(o.fields) == 0 {
		c.add(n, "description", "required", Detail{Problem: NoDescription}, "describe the software in at least one language")
		return nil
	}
	out := map[string]Description{}
	hasLong, hasFeatures := false, false
	for _, lang := range sortedKeys(o.fields) {
		f := o.fields[lang]
		path := "description." + lang
		if _, ok := languageTag(lang); !ok {
			c.add(f.key, path, "language", Detail{Problem: BadLanguage, Value: lang}, "%q is not a BCP 47 language tag", lang)
			continue
		}
		lo := c.object(f.value, path)
		if lo == nil {
			continue
		}
		var d Description
		d.LocalisedName, _ = c.str(lo, "localisedName", false)
		d.GenericName, _ = c.str(lo, "genericName", false)
		var sn, ln *yaml.Node
		d.ShortDescription, sn = c.str(lo, "shortDescription", true)
		if k := utf8.RuneCountInString(d.ShortDescription); k > maxShortDescription {
			c.add(sn, path+".shortDescription", "length", Detail{Problem: TooLong, N: k, Max: maxShortDescription}, "%d characters, at most %d allowed", k, maxShortDescription)
		}
		// longDescription is longer than maxString: read it apart.
		if ln = c.get(lo, "longDescription", false); ln != nil {
			if ln.Kind != yaml.ScalarNode || ln.Tag != "!!str" {
				c.add(ln, path+".longDescription", "type", Detail{Problem: WantString, Found: kindCode(ln)}, "want a string, found %s", kindName(ln))
			} else {
				d.LongDescription = strings.TrimSpace(ln.Value)
				k := utf8.RuneCountInString(d.LongDescription)
				if k < minLongDescription || k > maxLongDescription {
					c.add(ln, path+".longDescription", "length", Detail{Problem: LengthOutside, N: k, Min: minLongDescription, Max: maxLongDescription}, "%d characters, want %d to %d", k, minLongDescription, maxLongDescription)
				}
				hasLong = true
			}
		}
		var fn *yaml.Node
		d.Features, fn = c.strings(lo, "features", false, false)
		hasFeatures = hasFeatures || fn != nil
		d.Documentation, n = c.str(lo, "documentation", false)
		c.url(n, path+".documentation", d.Documentation, true)
		d.APIDocumentation, n = c.str(lo, "apiDocumentation", false)
		c.url(n, path+".apiDocumentation", d.APIDocumentation, true)
		d.Screenshots, _ = c.strings(lo, "screenshots", false, false)
		d.Videos, _ = c.strings(lo, "videos", false, false)
		d.Awards, _ = c.strings(lo, "awards", false, false)
		out[lang] = d
	}
	// The standard asks for both in at least one language.
	if len(out) == 0 {
		return nil // the languages were reported
	}
	if !hasLong {
		c.add(o.node, "description.*.longDescription", "required", Detail{Problem: NoLongDescription}, "a long description is required in at least one language")
	}
	if !hasFeatures {
		c.add(o.node, "description.*.features", "required", Detail{Problem: NoFeatures}, "a list of features is required in at least one language")
	}
	return out
}

func (c *checker) legal(top *object) Legal {
	var l Legal
	n := c.get(top, "legal", true)
	if n == nil {
		return l
	}
	o := c.object(n, "legal")
	if o == nil {
		return l
	}
	var ln *yaml.Node
	l.License, ln = c.str(o, "license", true)
	if l.License != "" {
		lic, err := ParseLicence(l.License)
		if err != nil {
			c.add(ln, "legal.license", "licence", Detail{Problem: BadLicence, Value: l.License}, "%s", err)
		}
		l.Licence = lic
	}
	l.MainCopyrightOwner, _ = c.str(o, "mainCopyrightOwner", false)
	l.RepoOwner, _ = c.str(o, "repoOwner", false)
	return l
}

func (c *checker) maintenance(top *object) Maintenance {
	var m Maintenance
	n := c.get(top, "maintenance", true)
	if n == nil {
		return m
	}
	o := c.object(n, "maintenance")
	if o == nil {
		return m
	}
	m.Type, n = c.str(o, "type", true)
	c.oneOf(n, "maintenance.type", m.Type, MaintenanceTypes)
	needContacts := m.Type == MaintenanceInternal || m.Type == MaintenanceCommunity
	for _, co := range c.objects(o, "contacts", needContacts) {
		var ct Contact
		ct.Name, _ = c.str(co, "name", true)
		ct.Email, _ = c.str(co, "email", false)
		ct.Phone, _ = c.str(co, "phone", false)
		ct.Affiliation, _ = c.str(co, "affiliation", false)
		m.Contacts = append(m.Contacts, ct)
	}
	for _, co := range c.objects(o, "contractors", m.Type == MaintenanceContract) {
		var ct Contractor
		ct.Name, _ = c.str(co, "name", true)
		var un *yaml.Node
		ct.Until, un = c.str(co, "until", true)
		c.date(un, co.path+".until", ct.Until)
		ct.Email, _ = c.str(co, "email", false)
		ct.Website, n = c.str(co, "website", false)
		c.url(n, co.path+".website", ct.Website, true)
		m.Contractors = append(m.Contractors, ct)
	}
	return m
}

func (c *checker) localisation(top *object) Localisation {
	var l Localisation
	n := c.get(top, "localisation", true)
	if n == nil {
		return l
	}
	o := c.object(n, "localisation")
	if o == nil {
		return l
	}
	l.LocalisationReady = c.boolean(o, "localisationReady", true)
	langs, _ := c.list(o, "availableLanguages", true, false)
	for _, lang := range langs {
		tag, ok := languageTag(lang.value)
		if !ok {
			c.add(lang.node, lang.path, "language", Detail{Problem: BadLanguage, Value: lang.value}, "%q is not a BCP 47 language tag", lang.value)
			continue
		}
		l.AvailableLanguages = append(l.AvailableLanguages, tag)
	}
	l.AvailableLanguages = dedupe(l.AvailableLanguages)
	return l
}

// dedupe drops repeated values, keeping the first of each.
func dedupe(in []string) []string {
	var out []string
	for _, s := range in {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
