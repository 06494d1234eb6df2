package apps

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// PublicCode is a publiccode.yml (standard v0.4; 0.2 and 0.3 read alike)
// as the catalogue uses it. Optional keys it does not use, country
// sections (it, fr, ...) and unknown keys are ignored.
type PublicCode struct {
	Version           string // publiccodeYmlVersion
	Name              string
	ApplicationSuite  string
	URL               string // the source repository
	LandingURL        string
	IsBasedOn         []string
	OrganisationURI   string // organizationUri
	SoftwareVersion   string
	ReleaseDate       string // YYYY-MM-DD
	Logo              string // a path in the repository or a URL
	Platforms         []string
	Categories        []string
	UsedBy            []string
	Roadmap           string
	DevelopmentStatus string
	SoftwareType      string
	// Description is keyed by BCP 47 language tag, as written.
	Description  map[string]Description
	Legal        Legal
	Maintenance  Maintenance
	Localisation Localisation
}

// Description is the description of the software in one language.
type Description struct {
	LocalisedName    string
	GenericName      string
	ShortDescription string
	LongDescription  string
	Documentation    string
	APIDocumentation string
	Features         []string
	Screenshots      []string
	Videos           []string
	Awards           []string
}

// Legal is the legal section.
type Legal struct {
	License            string // as written
	Licence            Licence
	MainCopyrightOwner string
	RepoOwner          string
}

// Maintenance says who maintains the software.
type Maintenance struct {
	Type        string
	Contractors []Contractor
	Contacts    []Contact
}

// Contractor is a maintenance contractor.
type Contractor struct {
	Name, Email, Website string
	Until                string // YYYY-MM-DD
}

// Contact is a person who maintains the software.
type Contact struct {
	Name, Email, Phone, Affiliation string
}

// Localisation says which languages the software speaks.
type Localisation struct {
	LocalisationReady  bool
	AvailableLanguages []string
}

// Languages returns the description languages, sorted.
func (pc *PublicCode) Languages() []string { return sortedKeys(pc.Description) }

// MaxPublicCodeSize is the largest publiccode.yml read. Real ones are a
// few kilobytes; the limit keeps a hostile upload from filling memory.
const MaxPublicCodeSize = 1 << 20

// maxAliasNodes is how many nodes aliases may add to a document once
// expanded: enough for any honest use of anchors, far too few for a
// "billion laughs".
const maxAliasNodes = 10_000

// maxNodes bounds the estimated number of nodes of a document (see
// estimateNodes). A node tree costs yaml.v3 about 200 bytes a node, so a
// 1 MiB file of one-letter list items would take some 160 MB to read; the
// bound keeps it near 20 MB, and is some fifty times what a long
// publiccode.yml in twenty languages needs.
const maxNodes = 100_000

// FieldError is one problem in a publiccode.yml, where it is.
type FieldError struct {
	// Path names the field: "description.fr.shortDescription",
	// "maintenance.contacts[0].name"; "" for the whole document.
	Path string
	// Line is the line in the file (from 1); 0 when the problem is the
	// file itself (empty, too large). A missing key is reported at the
	// line of the section it is missing from, a wrong value at its own
	// line. For some YAML syntax errors ("did not find expected key")
	// yaml.v3 gives only the line where the enclosing block begins.
	Line int
	// Code is a stable name of the problem, for translations: required,
	// type, value, length, url, date, language, licence, category,
	// duplicate, syntax, alias, too_large, too_complex.
	Code string
	// Detail is the precise problem and its values, for pages to say it
	// in their language.
	Detail
	// Message says it in English, for logs and the command line.
	Message string
}

func (e FieldError) Error() string {
	var b strings.Builder
	if e.Line > 0 {
		b.WriteString("line " + strconv.Itoa(e.Line) + ": ")
	}
	if e.Path != "" {
		b.WriteString(e.Path + ": ")
	}
	b.WriteString(e.Message)
	return b.String()
}

// InvalidError is returned when input does not pass: every problem found.
// errors.Is(err, ErrInvalid) holds for it.
type InvalidError struct {
	Errors []FieldError
	cause  error // ErrTooLarge, or nil
}

func (e *InvalidError) Error() string {
	msgs := make([]string, 0, min(len(e.Errors), 5))
	for i, fe := range e.Errors {
		if i == 5 {
			msgs = append(msgs, fmt.Sprintf("and %d more", len(e.Errors)-5))
			break
		}
		msgs = append(msgs, fe.Error())
	}
	return "invalid: " + strings.Join(msgs, "; ")
}

// Is makes errors.Is(err, ErrInvalid) true.
func (e *InvalidError) Is(target error) bool { return target == ErrInvalid }

// Unwrap returns what caused the refusal beyond the field errors, if any.
func (e *InvalidError) Unwrap() error { return e.cause }

// invalid returns the error for field errors.
func invalid(fes []FieldError) error { return &InvalidError{Errors: fes} }

// lineRE finds the line in a yaml.v3 syntax error ("yaml: line 3: ...").
var lineRE = regexp.MustCompile(`^yaml: line (\d+): `)

// Parse reads and checks a publiccode.yml. It reads at most
// MaxPublicCodeSize bytes (and one more, to know there is more: a larger
// file is refused without being read), refuses a file with too many
// entries before parsing it, parses YAML into a node tree, so every
// problem carries its field path and line, and refuses documents nested
// deeper than any publiccode.yml, whose aliases form a cycle, or whose
// aliases would expand past a small budget. Every walk of the tree is
// bounded: the checks above use no recursion, and what reads the tree
// afterwards recurses only into merge keys, at most maxMergeDepth deep.
//
// When the document does not pass, Parse returns no PublicCode, every
// problem found, and an *InvalidError (errors.Is(err, ErrInvalid); also
// ErrTooLarge for an oversized file). Other errors are failures to read r.
func Parse(r io.Reader) (*PublicCode, []FieldError, error) {
	root, fes, err := parseNode(r)
	if err != nil || len(fes) > 0 {
		return nil, fes, err
	}
	pc, fes := decode(root)
	if len(fes) > 0 {
		return nil, fes, invalid(fes)
	}
	return pc, nil, nil
}

// parseNode reads r into a YAML document node, bounded in size and in
// alias expansion.
func parseNode(r io.Reader) (*yaml.Node, []FieldError, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxPublicCodeSize+1))
	if err != nil {
		return nil, nil, fmt.Errorf("read publiccode.yml: %w", err)
	}
	if len(data) > MaxPublicCodeSize {
		fes := []FieldError{{Code: "too_large", Detail: Detail{Problem: FileTooLarge, Max: MaxPublicCodeSize >> 10}, Message: fmt.Sprintf("the file is larger than %d KiB", MaxPublicCodeSize>>10)}}
		return nil, fes, &InvalidError{Errors: fes, cause: ErrTooLarge}
	}
	fail := func(fe FieldError) (*yaml.Node, []FieldError, error) {
		fes := []FieldError{fe}
		return nil, fes, invalid(fes)
	}
	if n := estimateNodes(data); n > maxNodes {
		return fail(FieldError{Code: "too_complex", Detail: Detail{Problem: TooManyEntries, N: n, Max: maxNodes},
			Message: fmt.Sprintf("the document holds too many entries (about %d, at most %d)", n, maxNodes)})
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return fail(FieldError{Code: "required", Detail: Detail{Problem: EmptyFile}, Message: "the file is empty"})
		}
		return fail(syntaxError(err))
	}
	var more yaml.Node
	if err := dec.Decode(&more); !errors.Is(err, io.EOF) {
		line := more.Line
		if err != nil {
			return fail(syntaxError(err))
		}
		return fail(FieldError{Line: line, Code: "syntax", Detail: Detail{Problem: ManyDocuments}, Message: "the file holds more than one YAML document"})
	}
	switch sh := measure(&doc); {
	case sh.depthLine > 0:
		return fail(FieldError{Line: sh.depthLine, Code: "too_complex", Detail: Detail{Problem: TooDeep, Max: maxDepth},
			Message: fmt.Sprintf("the document nests deeper than %d levels", maxDepth)})
	case sh.cycleLine > 0:
		return fail(FieldError{Line: sh.cycleLine, Code: "alias", Detail: Detail{Problem: AliasCycle},
			Message: "an alias names a node that contains it: it would expand without end"})
	case sh.growth > maxAliasNodes:
		return fail(FieldError{Line: sh.firstAlias, Code: "alias", Detail: Detail{Problem: AliasGrowth, Max: maxAliasNodes},
			Message: fmt.Sprintf("aliases expand the document by more than %d nodes", maxAliasNodes)})
	}
	return &doc, nil, nil
}

// parserProblems are the errors of yaml.v3's parser (not its scanner).
// For them it prints the line counted from 0, and the line where the
// enclosing block or flow collection begins, not the offending one.
var parserProblems = []string{
	"did not find expected ',' or ']'", "did not find expected ',' or '}'", "did not find expected '-' indicator",
	"did not find expected <document start>", "did not find expected key", "did not find expected node content",
	"found duplicate %TAG directive", "found duplicate %YAML directive", "found incompatible YAML document",
	"found undefined tag handle",
}

// estimateNodes bounds from above, without parsing, how many nodes
// yaml.v3 would make of data: a node starts only after one of these
// bytes (a new line, an entry, a value, a flow collection, a complex
// key), and one of them starts at most two ("- key: value" starts a
// mapping and its first key), besides the document and its root.
func estimateNodes(data []byte) int {
	n := 0
	for _, c := range data {
		switch c {
		case '\n', '-', ':', ',', '[', '{', '?':
			n++
		}
	}
	return 2*n + 2
}

// syntaxError turns a yaml.v3 error into a field error with its line:
// the offending line for a scanner error ("mapping values are not allowed
// in this context"), the first line of the enclosing block for a parser
// error ("did not find expected '-' indicator").
func syntaxError(err error) FieldError {
	msg := err.Error()
	fe := FieldError{Code: "syntax", Detail: Detail{Problem: Syntax}, Message: "malformed YAML: " + strings.TrimPrefix(msg, "yaml: ")}
	if m := lineRE.FindStringSubmatch(msg); m != nil {
		problem := msg[len(m[0]):]
		fe.Line, _ = strconv.Atoi(m[1])
		if slices.Contains(parserProblems, problem) {
			fe.Line++
		}
		fe.Message = "malformed YAML: " + problem
	}
	return fe
}

// maxDepth bounds how deep a document nests, aliases not followed. A
// publiccode.yml nests five levels (description, a language, features,
// an item, and the document); yaml.v3 allows 10,000 flow levels and as
// many indents.
const maxDepth = 32

// maxMergeDepth bounds merge keys (<<) whose mappings merge others in
// turn, each level read by a call of its own.
const maxMergeDepth = 8

// shape is what the bounded walks of a node tree learn before anything
// else reads it: none recurses, each visits every node at most once.
type shape struct {
	depthLine  int // line of the first node nested deeper than maxDepth, 0 if none
	nodes      int // nodes of the tree, aliases not followed
	firstAlias int // line of the first alias, 0 if none
	cycleLine  int // line of an alias inside the node it names, 0 if none
	growth     int // nodes aliases add once expanded, saturating
}

// measure walks the tree as written (iteratively, so a deep document
// costs heap, not stack, and stops at the first node past maxDepth),
// then, if it has aliases, their expansion.
func measure(root *yaml.Node) shape {
	var sh shape
	type at struct {
		n     *yaml.Node
		depth int
	}
	stack := []at{{root, 0}}
	for len(stack) > 0 {
		top := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		sh.nodes++
		if top.depth > maxDepth {
			sh.depthLine = top.n.Line
			return sh
		}
		if top.n.Kind == yaml.AliasNode && sh.firstAlias == 0 {
			sh.firstAlias = top.n.Line
		}
		for i := len(top.n.Content) - 1; i >= 0; i-- { // document order
			stack = append(stack, at{top.n.Content[i], top.depth + 1})
		}
	}
	if sh.firstAlias == 0 {
		return sh
	}
	size, cycle := expandedSize(root)
	if cycle != nil {
		sh.cycleLine = cycle.Line
		return sh
	}
	sh.growth = size - sh.nodes
	return sh
}

// saturation is where expanded sizes stop growing: far past any budget,
// far from overflowing.
const saturation = 1 << 40

// expandedSize returns how many nodes a tree holds once its aliases are
// expanded, or the alias that names a node containing it (a cycle: an
// endless expansion). It walks iteratively, depth first, and memoises the
// size of each finished node, so a subtree named by many aliases is
// counted once and the walk is linear in the document; a node still on
// the walk's path, met again through an alias, is the cycle.
func expandedSize(root *yaml.Node) (int, *yaml.Node) {
	size := map[*yaml.Node]int{}
	onPath := map[*yaml.Node]bool{root: true}
	type frame struct {
		n    *yaml.Node
		next int // children started
		sum  int // their sizes
	}
	children := func(n *yaml.Node) []*yaml.Node {
		if n.Kind == yaml.AliasNode {
			if n.Alias == nil {
				return nil
			}
			return []*yaml.Node{n.Alias}
		}
		return n.Content
	}
	add := func(a, b int) int { return min(a+b, saturation) }
	stack := []frame{{n: root}}
	for len(stack) > 0 {
		f := &stack[len(stack)-1]
		if kids := children(f.n); f.next < len(kids) {
			c := kids[f.next]
			f.next++
			if s, done := size[c]; done {
				f.sum = add(f.sum, s)
				continue
			}
			if onPath[c] {
				return 0, f.n
			}
			onPath[c] = true
			stack = append(stack, frame{n: c})
			continue
		}
		s := f.sum // an alias is as large as what it names
		if f.n.Kind != yaml.AliasNode || f.n.Alias == nil {
			s = add(s, 1)
		}
		size[f.n] = s
		delete(onPath, f.n)
		stack = stack[:len(stack)-1]
		if len(stack) > 0 {
			p := &stack[len(stack)-1]
			p.sum = add(p.sum, s)
		}
	}
	return size[root], nil
}
