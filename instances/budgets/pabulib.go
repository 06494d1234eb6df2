package budgets

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// PB is one Pabulib .pb file (pabulib.org/format): one participatory
// budget (one heading) with its metadata, projects and votes. Known
// META keys are typed; every other key and column is kept as written, so
// a file read and written again says the same.
type PB struct {
	Meta Meta
	// ProjectColumns and VoteColumns are the header rows, in order. They
	// start with project_id and cost, and with voter_id and vote (the
	// writer puts them first).
	ProjectColumns []string
	Projects       []PBProject
	VoteColumns    []string
	Votes          []PBVote
}

// Meta is the META section. Zero values are keys the file does not
// have (NumProjects, NumVotes and Budget are always present).
type Meta struct {
	Description string
	Country     string
	Unit        string
	Subunit     string
	Instance    string
	NumProjects int
	NumVotes    int
	Budget      int64 // whole currency units
	VoteType    string
	Rule        string
	DateBegin   string
	DateEnd     string
	MinLength   int
	MaxLength   int
	Currency    string
	Language    string
	// Other is every other key, as written, in file order.
	Other []KeyValue
}

// KeyValue is one META row Meta has no field for.
type KeyValue struct {
	Key, Value string
}

// PBProject is one row of PROJECTS.
type PBProject struct {
	ID   string
	Cost int64 // whole currency units
	// Fields holds every other column by name (votes, name, category,
	// target, selected, ...), as written; "" when the cell is empty.
	Fields map[string]string
}

// PBVote is one row of VOTES.
type PBVote struct {
	VoterID string
	// Vote is the project ids in the order written (the order matters
	// for ordinal votes).
	Vote []string
	// Points is the points column, one per project of Vote, when the file
	// has one (cumulative and scoring votes).
	Points []int64
	// Fields holds every other column by name (age, sex, voting_method,
	// ...), as written.
	Fields map[string]string
}

// The vote types of the format.
var voteTypes = []string{"approval", "ordinal", "cumulative", "scoring", "choose-1"}

// Limits bound what ParsePB accepts; zero fields take the defaults.
type Limits struct {
	MaxBytes     int64 // the whole file; default 512 MiB
	MaxLineBytes int   // default 1 MiB
	MaxFields    int   // columns in a row; default 64
	MaxMetaKeys  int   // default 256
	MaxProjects  int   // default 10,000
	MaxVotes     int   // default 5,000,000
}

// DefaultLimits are the limits a zero Limits means: generous for every
// published edition (Warsaw's largest files have some 100,000 votes), a
// few hundred megabytes at worst (the whole file is bounded).
var DefaultLimits = Limits{
	MaxBytes:     512 << 20,
	MaxLineBytes: 1 << 20,
	MaxFields:    64,
	MaxMetaKeys:  256,
	MaxProjects:  10_000,
	MaxVotes:     5_000_000,
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	if l.MaxBytes > 0 {
		d.MaxBytes = l.MaxBytes
	}
	if l.MaxLineBytes > 0 {
		d.MaxLineBytes = l.MaxLineBytes
	}
	if l.MaxFields > 0 {
		d.MaxFields = l.MaxFields
	}
	if l.MaxMetaKeys > 0 {
		d.MaxMetaKeys = l.MaxMetaKeys
	}
	if l.MaxProjects > 0 {
		d.MaxProjects = l.MaxProjects
	}
	if l.MaxVotes > 0 {
		d.MaxVotes = l.MaxVotes
	}
	return d
}

// ParseError is why a .pb file was refused: the line (1-based) and the
// reason in plain words. Nothing of a refused file is returned.
type ParseError struct {
	Line   int
	Reason string
}

func (e *ParseError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Reason) }

// ParsePB reads a .pb file, treating it as hostile: every line, row and
// count is bounded by limits, and every problem is a *ParseError. It
// checks the structure (sections, headers, one value per column), the
// values it types (counts, amounts, vote type, lengths), that ids are
// unique and non-empty, that every vote names known projects, each
// once, within min_length and max_length when given, and that
// num_projects and num_votes match the rows.
func ParsePB(r io.Reader, limits Limits) (*PB, error) {
	p := &pbParser{lim: limits.withDefaults(), br: bufio.NewReaderSize(r, 64<<10)}
	pb, err := p.parse()
	if err != nil {
		return nil, err
	}
	return pb, nil
}

type pbParser struct {
	lim  Limits
	br   *bufio.Reader
	line int
	read int64
	buf  []byte
}

func (p *pbParser) fail(format string, args ...any) error {
	return &ParseError{Line: p.line, Reason: fmt.Sprintf(format, args...)}
}

// next returns the next line that is not blank, without its line end,
// or io.EOF.
func (p *pbParser) next() (string, error) {
	for {
		line, err := p.readLine()
		if err != nil {
			return "", err
		}
		if strings.TrimSpace(line) != "" {
			return line, nil
		}
	}
}

func (p *pbParser) readLine() (string, error) {
	p.buf = p.buf[:0]
	for {
		chunk, err := p.br.ReadSlice('\n')
		if len(p.buf)+len(chunk) > p.lim.MaxLineBytes+2 { // +2: the line end
			p.line++
			return "", p.fail("the line is longer than %d bytes", p.lim.MaxLineBytes)
		}
		if p.read += int64(len(chunk)); p.read > p.lim.MaxBytes {
			p.line++
			return "", p.fail("the file is longer than %d bytes", p.lim.MaxBytes)
		}
		p.buf = append(p.buf, chunk...)
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == io.EOF {
			if len(p.buf) == 0 {
				return "", io.EOF
			}
		} else if err != nil {
			return "", fmt.Errorf("reading the .pb file: %w", err)
		}
		break
	}
	p.line++
	b := bytes.TrimSuffix(p.buf, []byte("\n"))
	b = bytes.TrimSuffix(b, []byte("\r"))
	if p.line == 1 {
		b = bytes.TrimPrefix(b, []byte("\uFEFF")) // a byte order mark
	}
	if !utf8.Valid(b) {
		return "", p.fail("the line is not UTF-8 text")
	}
	if bytes.IndexByte(b, 0) >= 0 {
		return "", p.fail("the line contains a NUL byte")
	}
	return string(b), nil
}

// split cuts a row into fields: ';' separates, a field that starts with
// a double quote may hold ';' and '""' for '"' up to its closing quote;
// elsewhere a quote is a character like any other (as Python's csv
// reads it). Spaces around unquoted fields are not part of them.
func (p *pbParser) split(line string) ([]string, error) {
	var fields []string
	for i := 0; ; {
		if len(fields) == p.lim.MaxFields {
			return nil, p.fail("the row has more than %d fields", p.lim.MaxFields)
		}
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		if i < len(line) && line[i] == '"' {
			var sb strings.Builder
			i++
			for {
				j := strings.IndexByte(line[i:], '"')
				if j < 0 {
					return nil, p.fail("a quoted field is not closed before the end of the line")
				}
				sb.WriteString(line[i : i+j])
				i += j + 1
				if i < len(line) && line[i] == '"' {
					sb.WriteByte('"')
					i++
					continue
				}
				break
			}
			for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
				i++
			}
			fields = append(fields, sb.String())
			if i == len(line) {
				return fields, nil
			}
			if line[i] != ';' {
				return nil, p.fail("text after a closing quote (a quote inside a field must be doubled)")
			}
			i++
			continue
		}
		j := strings.IndexByte(line[i:], ';')
		var f string
		if j < 0 {
			f, i = line[i:], len(line)
		} else {
			f, i = line[i:i+j], i+j+1
		}
		fields = append(fields, strings.TrimRight(f, " \t"))
		if j < 0 {
			return fields, nil
		}
	}
}

func (p *pbParser) expectSection(name string) error {
	line, err := p.next()
	if err == io.EOF {
		return &ParseError{Line: p.line + 1, Reason: fmt.Sprintf("the file ends before the %s section", name)}
	}
	if err != nil {
		return err
	}
	if !strings.EqualFold(strings.TrimSpace(line), name) {
		return p.fail("expected the %s section, found %q", name, clip(line))
	}
	return nil
}

// header reads a section's header row, checks that it names each column
// once and has the required ones, and returns their positions.
func (p *pbParser) header(section string, required ...string) ([]string, []int, error) {
	line, err := p.next()
	if err == io.EOF {
		return nil, nil, &ParseError{Line: p.line + 1, Reason: fmt.Sprintf("the %s section has no header row", section)}
	}
	if err != nil {
		return nil, nil, err
	}
	cols, err := p.split(line)
	if err != nil {
		return nil, nil, err
	}
	for i, c := range cols {
		cols[i] = strings.TrimSpace(c)
		if cols[i] == "" {
			return nil, nil, p.fail("column %d of the %s header has no name", i+1, section)
		}
		if isSection(cols[i]) && len(cols) == 1 {
			return nil, nil, p.fail("the %s section has no header row", section)
		}
		if slices.Contains(cols[:i], cols[i]) {
			return nil, nil, p.fail("the %s header names %q twice", section, cols[i])
		}
	}
	pos := make([]int, len(required))
	for k, name := range required {
		pos[k] = slices.Index(cols, name)
		if pos[k] < 0 {
			return nil, nil, p.fail("the %s header has no %q column", section, name)
		}
	}
	return cols, pos, nil
}

func isSection(s string) bool {
	s = strings.TrimSpace(s)
	return strings.EqualFold(s, "META") || strings.EqualFold(s, "PROJECTS") || strings.EqualFold(s, "VOTES")
}

func clip(s string) string {
	if len(s) > 40 {
		// Cut on a rune boundary.
		for i := 40; i > 0; i-- {
			if utf8.RuneStart(s[i]) {
				return s[:i] + "…"
			}
		}
	}
	return s
}

func (p *pbParser) parse() (*PB, error) {
	if err := p.expectSection("META"); err != nil {
		return nil, err
	}
	cols, _, err := p.header("META", "key", "value")
	if err != nil {
		return nil, err
	}
	if len(cols) != 2 || cols[0] != "key" {
		return nil, p.fail("the META header must be key;value")
	}
	pb := &PB{}
	meta, line, err := p.parseMeta()
	if err != nil {
		return nil, err
	}
	pb.Meta = meta
	if !strings.EqualFold(strings.TrimSpace(line), "PROJECTS") {
		return nil, p.fail("expected the PROJECTS section, found %q", clip(line))
	}
	cols, pos, err := p.header("PROJECTS", "project_id", "cost")
	if err != nil {
		return nil, err
	}
	pb.ProjectColumns = reorder(cols, pos)
	line, err = p.parseProjects(pb, cols, pos)
	if err != nil {
		return nil, err
	}
	if !strings.EqualFold(strings.TrimSpace(line), "VOTES") {
		return nil, p.fail("expected the VOTES section, found %q", clip(line))
	}
	cols, pos, err = p.header("VOTES", "voter_id", "vote")
	if err != nil {
		return nil, err
	}
	pb.VoteColumns = reorder(cols, pos)
	if err := p.parseVotes(pb, cols, pos); err != nil {
		return nil, err
	}
	return pb, nil
}

// reorder puts the required columns first, the others in file order.
func reorder(cols []string, pos []int) []string {
	out := make([]string, 0, len(cols))
	for _, i := range pos {
		out = append(out, cols[i])
	}
	for i, c := range cols {
		if !slices.Contains(pos, i) {
			out = append(out, c)
		}
	}
	return out
}

// parseMeta reads META rows up to the next section title, which it
// returns.
func (p *pbParser) parseMeta() (Meta, string, error) {
	var m Meta
	seen := map[string]bool{}
	for {
		line, err := p.next()
		if err == io.EOF {
			return m, "", &ParseError{Line: p.line + 1, Reason: "the file ends before the PROJECTS section"}
		}
		if err != nil {
			return m, "", err
		}
		if isSection(line) {
			for _, k := range []string{"num_projects", "num_votes", "budget", "vote_type"} {
				if !seen[k] {
					return m, "", p.fail("META has no %q key", k)
				}
			}
			if m.MaxLength > 0 && m.MinLength > m.MaxLength {
				return m, "", p.fail("min_length %d is above max_length %d", m.MinLength, m.MaxLength)
			}
			return m, line, nil
		}
		f, err := p.split(line)
		if err != nil {
			return m, "", err
		}
		if len(f) != 2 {
			return m, "", p.fail("a META row has %d fields, not 2 (key;value)", len(f))
		}
		key, value := strings.TrimSpace(f[0]), f[1]
		switch {
		case key == "":
			return m, "", p.fail("a META row has no key")
		case seen[key]:
			return m, "", p.fail("META key %q appears twice", key)
		case len(seen) == p.lim.MaxMetaKeys:
			return m, "", p.fail("META has more than %d keys", p.lim.MaxMetaKeys)
		}
		seen[key] = true
		if err := p.metaValue(&m, key, value); err != nil {
			return m, "", err
		}
	}
}

func (p *pbParser) metaValue(m *Meta, key, value string) error {
	var err error
	switch key {
	case "description":
		m.Description = value
	case "country":
		m.Country = value
	case "unit":
		m.Unit = value
	case "subunit":
		m.Subunit = value
	case "instance":
		m.Instance = value
	case "rule":
		m.Rule = value
	case "date_begin":
		m.DateBegin = value
	case "date_end":
		m.DateEnd = value
	case "currency":
		m.Currency = value
	case "language":
		m.Language = value
	case "num_projects":
		m.NumProjects, err = p.count(key, value, p.lim.MaxProjects)
	case "num_votes":
		m.NumVotes, err = p.count(key, value, p.lim.MaxVotes)
	case "min_length":
		m.MinLength, err = p.count(key, value, p.lim.MaxProjects)
	case "max_length":
		m.MaxLength, err = p.count(key, value, p.lim.MaxProjects)
	case "budget":
		m.Budget, err = p.amount("budget", value)
	case "vote_type":
		if !slices.Contains(voteTypes, value) {
			return p.fail("vote_type %q is not one of %s", clip(value), strings.Join(voteTypes, ", "))
		}
		m.VoteType = value
	default:
		m.Other = append(m.Other, KeyValue{Key: key, Value: value})
	}
	return err
}

// count reads a whole number between 0 and max.
func (p *pbParser) count(key, value string, max int) (int, error) {
	n, err := strconv.Atoi(value)
	if err != nil || n < 0 {
		return 0, p.fail("%s %q is not a whole number", key, clip(value))
	}
	if n > max {
		return 0, p.fail("%s %d is above the limit of %d", key, n, max)
	}
	return n, nil
}

// amount reads a positive amount of whole currency units, at most
// MaxAmount. The format allows decimals; "1200.00" is read as 1200, but
// "1200.50" is refused: Agora counts whole units.
func (p *pbParser) amount(what, value string) (int64, error) {
	s := value
	if i := strings.IndexByte(s, '.'); i >= 0 {
		frac := s[i+1:]
		if frac == "" || strings.Trim(frac, "0") != "" || strings.Trim(frac, "0123456789") != "" {
			return 0, p.fail("%s %q is not a whole number of currency units", what, clip(value))
		}
		s = s[:i]
	}
	if s == "" || strings.Trim(s, "0123456789") != "" {
		return 0, p.fail("%s %q is not a positive amount", what, clip(value))
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n > MaxAmount {
		return 0, p.fail("%s %s is above the limit of %d", what, clip(value), MaxAmount)
	}
	if n <= 0 {
		return 0, p.fail("%s %q is not a positive amount", what, clip(value))
	}
	return n, nil
}

// parseProjects reads PROJECTS rows up to the VOTES title, which it
// returns.
func (p *pbParser) parseProjects(pb *PB, cols []string, pos []int) (string, error) {
	ids := map[string]bool{}
	for {
		line, err := p.next()
		if err == io.EOF {
			return "", &ParseError{Line: p.line + 1, Reason: "the file ends before the VOTES section"}
		}
		if err != nil {
			return "", err
		}
		if isSection(line) {
			if len(pb.Projects) != pb.Meta.NumProjects {
				return "", p.fail("num_projects says %d but PROJECTS has %d", pb.Meta.NumProjects, len(pb.Projects))
			}
			return line, nil
		}
		if len(pb.Projects) == p.lim.MaxProjects {
			return "", p.fail("more than %d projects", p.lim.MaxProjects)
		}
		f, err := p.split(line)
		if err != nil {
			return "", err
		}
		if len(f) != len(cols) {
			return "", p.fail("the row has %d fields but the PROJECTS header has %d", len(f), len(cols))
		}
		pr := PBProject{ID: strings.TrimSpace(f[pos[0]]), Fields: make(map[string]string, len(cols)-2)}
		switch {
		case pr.ID == "":
			return "", p.fail("a project has no project_id")
		case strings.ContainsRune(pr.ID, ','):
			return "", p.fail("project_id %q contains a comma, which votes could not name", clip(pr.ID))
		case ids[pr.ID]:
			return "", p.fail("project_id %q appears twice", clip(pr.ID))
		}
		ids[pr.ID] = true
		if pr.Cost, err = p.amount("cost", strings.TrimSpace(f[pos[1]])); err != nil {
			return "", err
		}
		for i, c := range cols {
			if i != pos[0] && i != pos[1] {
				pr.Fields[c] = f[i]
			}
		}
		pb.Projects = append(pb.Projects, pr)
	}
}

func (p *pbParser) parseVotes(pb *PB, cols []string, pos []int) error {
	projects := make(map[string]bool, len(pb.Projects))
	for _, pr := range pb.Projects {
		projects[pr.ID] = true
	}
	points := slices.Index(cols, "points")
	voters := map[string]bool{}
	for {
		line, err := p.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if isSection(line) {
			return p.fail("a %s section after VOTES", strings.ToUpper(strings.TrimSpace(line)))
		}
		if len(pb.Votes) == p.lim.MaxVotes {
			return p.fail("more than %d votes", p.lim.MaxVotes)
		}
		f, err := p.split(line)
		if err != nil {
			return err
		}
		if len(f) != len(cols) {
			return p.fail("the row has %d fields but the VOTES header has %d", len(f), len(cols))
		}
		v := PBVote{VoterID: strings.TrimSpace(f[pos[0]]), Fields: make(map[string]string, len(cols)-2)}
		switch {
		case v.VoterID == "":
			return p.fail("a vote has no voter_id")
		case voters[v.VoterID]:
			return p.fail("voter_id %q appears twice", clip(v.VoterID))
		}
		voters[v.VoterID] = true
		if v.Vote, err = p.voteList(f[pos[1]], projects, pb.Meta); err != nil {
			return err
		}
		for i, c := range cols {
			switch {
			case i == pos[0] || i == pos[1]:
			case i == points:
				if v.Points, err = p.pointList(f[i], len(v.Vote)); err != nil {
					return err
				}
			default:
				v.Fields[c] = f[i]
			}
		}
		pb.Votes = append(pb.Votes, v)
	}
	if len(pb.Votes) != pb.Meta.NumVotes {
		return &ParseError{Line: p.line, Reason: fmt.Sprintf("num_votes says %d but VOTES has %d", pb.Meta.NumVotes, len(pb.Votes))}
	}
	return nil
}

func (p *pbParser) voteList(s string, projects map[string]bool, m Meta) ([]string, error) {
	s = strings.TrimSpace(s)
	var ids []string
	if s != "" {
		ids = strings.Split(s, ",")
	}
	for i, id := range ids {
		id = strings.TrimSpace(id)
		switch {
		case id == "":
			return nil, p.fail("the vote has an empty project id")
		case !projects[id]:
			return nil, p.fail("the vote names project %q, which is not in PROJECTS", clip(id))
		case slices.Contains(ids[:i], id):
			return nil, p.fail("the vote names project %q twice", clip(id))
		}
		ids[i] = id
	}
	if m.MinLength > 0 && len(ids) < m.MinLength {
		return nil, p.fail("the vote names %d projects, fewer than min_length %d", len(ids), m.MinLength)
	}
	if m.MaxLength > 0 && len(ids) > m.MaxLength {
		return nil, p.fail("the vote names %d projects, more than max_length %d", len(ids), m.MaxLength)
	}
	return ids, nil
}

func (p *pbParser) pointList(s string, n int) ([]int64, error) {
	s = strings.TrimSpace(s)
	var parts []string
	if s != "" {
		parts = strings.Split(s, ",")
	}
	if len(parts) != n {
		return nil, p.fail("the vote has %d points for %d projects", len(parts), n)
	}
	pts := make([]int64, n)
	for i, part := range parts {
		v, err := strconv.ParseInt(strings.TrimSpace(part), 10, 64)
		if err != nil || v < -MaxAmount || v > MaxAmount {
			return nil, p.fail("points %q is not a whole number", clip(part))
		}
		pts[i] = v
	}
	return pts, nil
}

// WritePB writes pb in the .pb format: META with Meta's keys (the
// typed ones first, in the format's order, those not set left out; then
// Other), PROJECTS and VOTES with their columns (project_id, cost and
// voter_id, vote first). Fields are quoted when they must be. It refuses
// what ParsePB would not read back the same: line breaks, commas in ids
// used in votes, columns named twice, rows without a value for a column.
func WritePB(w io.Writer, pb *PB) error {
	bw := bufio.NewWriter(w)
	var err error
	row := func(fields ...string) {
		if err != nil {
			return
		}
		for i, f := range fields {
			if strings.ContainsAny(f, "\r\n") {
				err = fmt.Errorf("writing .pb: %q has a line break", clip(f))
				return
			}
			if i > 0 {
				bw.WriteByte(';')
			}
			bw.WriteString(quote(f))
		}
		bw.WriteByte('\n')
	}
	m := pb.Meta
	row("META")
	row("key", "value")
	str := func(k, v string) {
		if v != "" {
			row(k, v)
		}
	}
	num := func(k string, v int) {
		if v != 0 {
			row(k, strconv.Itoa(v))
		}
	}
	str("description", m.Description)
	str("country", m.Country)
	str("unit", m.Unit)
	str("subunit", m.Subunit)
	str("instance", m.Instance)
	row("num_projects", strconv.Itoa(m.NumProjects))
	row("num_votes", strconv.Itoa(m.NumVotes))
	row("budget", strconv.FormatInt(m.Budget, 10))
	str("vote_type", m.VoteType)
	str("rule", m.Rule)
	str("date_begin", m.DateBegin)
	str("date_end", m.DateEnd)
	num("min_length", m.MinLength)
	num("max_length", m.MaxLength)
	str("currency", m.Currency)
	str("language", m.Language)
	for _, kv := range m.Other {
		row(kv.Key, kv.Value)
	}

	pcols, err2 := columns(pb.ProjectColumns, "project_id", "cost")
	if err2 != nil {
		return err2
	}
	row("PROJECTS")
	row(pcols...)
	for _, pr := range pb.Projects {
		if strings.ContainsRune(pr.ID, ',') {
			return fmt.Errorf("writing .pb: project_id %q contains a comma", clip(pr.ID))
		}
		fields := []string{pr.ID, strconv.FormatInt(pr.Cost, 10)}
		for _, c := range pcols[2:] {
			v, ok := pr.Fields[c]
			if !ok {
				return fmt.Errorf("writing .pb: project %q has no value for column %q", clip(pr.ID), c)
			}
			fields = append(fields, v)
		}
		row(fields...)
	}

	vcols, err2 := columns(pb.VoteColumns, "voter_id", "vote")
	if err2 != nil {
		return err2
	}
	row("VOTES")
	row(vcols...)
	for _, v := range pb.Votes {
		fields := []string{v.VoterID, strings.Join(v.Vote, ",")}
		for _, c := range vcols[2:] {
			if c == "points" {
				pts := make([]string, len(v.Points))
				for i, x := range v.Points {
					pts[i] = strconv.FormatInt(x, 10)
				}
				fields = append(fields, strings.Join(pts, ","))
				continue
			}
			val, ok := v.Fields[c]
			if !ok {
				return fmt.Errorf("writing .pb: vote %q has no value for column %q", clip(v.VoterID), c)
			}
			fields = append(fields, val)
		}
		row(fields...)
	}
	if err != nil {
		return err
	}
	return bw.Flush()
}

// columns is a header with the two required columns first, each column
// once.
func columns(cols []string, first, second string) ([]string, error) {
	out := []string{first, second}
	for _, c := range cols {
		if c == first || c == second {
			continue
		}
		if c == "" || slices.Contains(out, c) {
			return nil, fmt.Errorf("writing .pb: column %q is empty or named twice", c)
		}
		out = append(out, c)
	}
	return out, nil
}

// quote returns f as a field ParsePB reads back as f.
func quote(f string) string {
	if !strings.ContainsAny(f, "\";") && strings.TrimSpace(f) == f {
		return f
	}
	return `"` + strings.ReplaceAll(f, `"`, `""`) + `"`
}

// Election turns an approval .pb file (vote_type approval or choose-1)
// into one heading named heading: each project_id is kept as the
// project's id, each vote is a ballot of weight 1. The rule is the
// file's (ParseRule; "unknown" and no rule mean greedy).
func (pb *PB) Election(heading string) (Election, Rule, error) {
	if t := pb.Meta.VoteType; t != "approval" && t != "choose-1" {
		return Election{}, "", fmt.Errorf("%w: vote_type %s: only approval votes are counted here", ErrInvalid, t)
	}
	rule := Greedy
	if r := strings.TrimSpace(pb.Meta.Rule); r != "" && !strings.EqualFold(r, "unknown") {
		var err error
		if rule, err = ParseRule(r); err != nil {
			return Election{}, "", err
		}
	}
	e := Election{Headings: []Heading{{ID: heading, Budget: pb.Meta.Budget}}}
	for _, pr := range pb.Projects {
		e.Projects = append(e.Projects, Project{ID: pr.ID, Heading: heading, Cost: pr.Cost})
	}
	for _, v := range pb.Votes {
		e.Ballots = append(e.Ballots, Ballot{Projects: v.Vote, Weight: 1})
	}
	// A tie order drawn before the count (Agora writes it in the files of
	// editions voted on the node) decides ties as it did then; Compute
	// refuses one naming an unknown project or a project twice.
	for _, kv := range pb.Meta.Other {
		if kv.Key == TieOrderKey && strings.TrimSpace(kv.Value) != "" {
			for _, id := range strings.Split(kv.Value, ",") {
				e.TieOrder = append(e.TieOrder, strings.TrimSpace(id))
			}
		}
	}
	return e, rule, nil
}

// TieOrderKey is the META key of a file's tie order: project ids
// separated by commas, the one earlier winning a tie that the rule's
// own tie-breaking leaves (Election.TieOrder). Not a Pabulib key: other
// readers keep it as an unknown one.
const TieOrderKey = "tie_order"

// ExportPB builds the .pb file of one heading of e, computed as res:
// META from meta with num_projects, num_votes, budget, vote_type
// (approval) and rule (greedy, or equalshares/add1) filled in; PROJECTS
// with project_id, cost, votes and selected (1 when res funded it, else
// 0); VOTES with one row per unit of ballot weight, numbered from 1, for
// the ballots that support a project of the heading (their projects in
// other headings left out). The caller adds names and other columns to
// the projects' Fields and to ProjectColumns.
func ExportPB(meta Meta, e Election, res Result, heading string) (*PB, error) {
	var budget int64 = -1
	for _, h := range e.Headings {
		if h.ID == heading {
			budget = h.Budget
		}
	}
	i := slices.IndexFunc(res.Headings, func(h HeadingResult) bool { return h.Heading == heading })
	if budget < 0 || i < 0 {
		return nil, fmt.Errorf("%w: no heading %q", ErrInvalid, heading)
	}
	funded := map[string]bool{}
	for _, id := range res.Headings[i].Funded {
		funded[id] = true
	}
	pb := &PB{
		Meta:           meta,
		ProjectColumns: []string{"project_id", "cost", "votes", "selected"},
		VoteColumns:    []string{"voter_id", "vote"},
	}
	pb.Meta.Budget = budget
	pb.Meta.VoteType = "approval"
	pb.Meta.Rule = "greedy"
	if res.Rule == EqualShares {
		pb.Meta.Rule = "equalshares/add1"
	}
	in := map[string]bool{}
	votes := map[string]int64{}
	for _, p := range e.Projects {
		if p.Heading == heading {
			in[p.ID] = true
		}
	}
	for _, b := range e.Ballots {
		var vote []string
		for _, id := range b.Projects {
			if in[id] {
				vote = append(vote, id)
			}
		}
		if len(vote) == 0 {
			continue
		}
		for range b.Weight {
			pb.Votes = append(pb.Votes, PBVote{VoterID: strconv.Itoa(len(pb.Votes) + 1), Vote: vote, Fields: map[string]string{}})
		}
		for _, id := range vote {
			votes[id] += b.Weight
		}
	}
	for _, p := range e.Projects {
		if p.Heading != heading {
			continue
		}
		sel := "0"
		if funded[p.ID] {
			sel = "1"
		}
		pb.Projects = append(pb.Projects, PBProject{ID: p.ID, Cost: p.Cost, Fields: map[string]string{
			"votes": strconv.FormatInt(votes[p.ID], 10), "selected": sel,
		}})
	}
	pb.Meta.NumProjects = len(pb.Projects)
	pb.Meta.NumVotes = len(pb.Votes)
	return pb, nil
}
