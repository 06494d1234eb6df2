package apps

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/uptrace/bun"
	"go.yaml.in/yaml/v3"

	"agora/instances/accounts"
	"agora/instances/outbox"
	"agora/storage/database"
)

// Adoption records that a city uses an app: "we use this".
type Adoption struct {
	bun.BaseModel `bun:"table:app_adoptions,alias:d"`

	ID    string `bun:"id,pk"`
	AppID string `bun:"app_id"`
	// AdopterKey is who adopted, once per app: the remote node's actor,
	// or "local:" and the folded name for a city recorded here.
	AdopterKey string    `bun:"adopter_key"`
	Name       string    `bun:"name"`           // the city or node, as shown
	Actor      string    `bun:"actor,nullzero"` // the adopting node's instance actor; "" when recorded here
	Version    string    `bun:"version"`        // the version deployed
	Contact    string    `bun:"contact"`
	Since      time.Time `bun:"since"` // a day, at midnight UTC
	RemoteID   *string   `bun:"remote_id"`
	CreatedBy  string    `bun:"created_by,nullzero"`
	CreatedAt  time.Time `bun:"created_at"`
	UpdatedAt  time.Time `bun:"updated_at"`
}

// Local reports whether the adoption was recorded on this node.
func (d *Adoption) Local() bool { return d.Actor == "" }

// AdoptionInput is a city of this node saying it uses an app.
type AdoptionInput struct {
	Name    string // the city, e.g. "Mairie du 11e arrondissement"
	Version string
	Contact string
	Since   time.Time // zero: today
}

// RemoteAdoption is an adoption another node announced, once federation
// has verified it was signed by that node's instance actor.
type RemoteAdoption struct {
	Slug       string // the local app adopted
	Actor      string // the adopting node's instance actor
	Name       string
	Version    string
	Contact    string
	Since      time.Time
	ActivityID string // the activity, for idempotent delivery; may be ""
}

// Adopt records that a city of this node uses an app, local or from
// another node. Adopting again updates the record: one per app and city.
// It records an "adoption" outbox event, for federation to tell the
// publishing node, and an app update when the app is local (its usedBy
// changed).
func (s *Service) Adopt(ctx context.Context, actor accounts.Actor, slug string, in AdoptionInput) (*Adoption, error) {
	by, err := s.curator(actor)
	if err != nil {
		return nil, err
	}
	d, err := checkAdoption(in.Name, in.Version, in.Contact, "")
	if err != nil {
		return nil, err
	}
	d.AdopterKey = "local:" + strings.Join(strings.Fields(fold(d.Name)), " ")
	d.Since, d.CreatedBy = s.since(in.Since), by
	return s.adopt(ctx, slug, d, false)
}

// AdoptRemote records an adoption of a local app by another node; the
// same node adopting again updates its record.
func (s *Service) AdoptRemote(ctx context.Context, in RemoteAdoption) (*Adoption, error) {
	d, err := checkAdoption(in.Name, in.Version, in.Contact, in.Actor)
	if err != nil {
		return nil, err
	}
	d.AdopterKey, d.Actor, d.Since = in.Actor, in.Actor, s.since(in.Since)
	if in.ActivityID != "" {
		d.RemoteID = &in.ActivityID
	}
	return s.adopt(ctx, in.Slug, d, true)
}

func (s *Service) since(t time.Time) time.Time {
	if t.IsZero() {
		return day(s.now())
	}
	return day(t)
}

func checkAdoption(name, version, contact, actor string) (*Adoption, error) {
	var fes []FieldError
	line := func(path, v string, max int, required bool) string {
		v = strings.TrimSpace(v)
		n := utf8.RuneCountInString(v)
		switch {
		case n == 0 && required:
			fes = append(fes, FieldError{Path: path, Code: "required", Detail: Detail{Problem: Required}, Message: "required"})
		case n > max || strings.ContainsFunc(v, unicode.IsControl):
			fes = append(fes, FieldError{Path: path, Code: "value", Detail: Detail{Problem: OneLine, N: n, Max: max},
				Message: fmt.Sprintf("one line of at most %d characters", max)})
		}
		return v
	}
	d := &Adoption{Name: line("name", name, maxNameLen, true), Version: line("version", version, maxShortField, false),
		Contact: line("contact", contact, maxShortField, false)}
	if actor != "" {
		if u, err := url.Parse(actor); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			fes = append(fes, FieldError{Path: "actor", Code: "url", Detail: Detail{Problem: NotWebURL, Value: actor}, Message: "the adopting actor is not an http(s) URL"})
		}
	}
	if len(fes) > 0 {
		return nil, invalid(fes)
	}
	return d, nil
}

// adopt writes an adoption, inserting or updating the adopter's row.
func (s *Service) adopt(ctx context.Context, slug string, d *Adoption, remote bool) (*Adoption, error) {
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		a, err := s.load(ctx, tx, slug, true)
		if err != nil {
			return err
		}
		if remote && a.Remote() {
			return ErrRemote // its publisher keeps its users
		}
		now := s.now()
		prev := new(Adoption)
		err = tx.NewSelect().Model(prev).Where("app_id = ? AND adopter_key = ?", a.ID, d.AdopterKey).Scan(ctx)
		existed := err == nil
		if err != nil && !errors.Is(database.Translate(err), database.ErrNotFound) {
			return fmt.Errorf("read adoption: %w", err)
		}
		if existed {
			d.ID, d.CreatedBy, d.CreatedAt = prev.ID, prev.CreatedBy, prev.CreatedAt
			if d.RemoteID == nil {
				d.RemoteID = prev.RemoteID
			}
		} else {
			d.ID, d.CreatedAt = database.NewID(), now
		}
		d.AppID, d.UpdatedAt = a.ID, now
		if existed {
			_, err = tx.NewUpdate().Model(d).WherePK().Exec(ctx)
		} else {
			_, err = tx.NewInsert().Model(d).Exec(ctx)
		}
		if errors.Is(database.Translate(err), database.ErrConflict) {
			return ErrConflict // a concurrent adoption, or an activity id another adoption has
		}
		if err != nil {
			return fmt.Errorf("record adoption: %w", err)
		}
		if !remote {
			kind := outbox.Create
			if existed {
				kind = outbox.Update
			}
			if err := outboxed(ctx, tx, now, kind, "adoption", d.ID); err != nil {
				return err
			}
		}
		if !a.Remote() {
			return outboxed(ctx, tx, now, outbox.Update, "app", a.ID)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// Unadopt removes the adoption of an app by a city of this node.
func (s *Service) Unadopt(ctx context.Context, actor accounts.Actor, slug, name string) error {
	if _, err := s.curator(actor); err != nil {
		return err
	}
	return s.unadopt(ctx, slug, "local:"+strings.Join(strings.Fields(fold(name)), " "), false)
}

// UnadoptRemote removes the adoption of a local app by another node
// (its actor), as when it undoes its announcement.
func (s *Service) UnadoptRemote(ctx context.Context, slug, actor string) error {
	return s.unadopt(ctx, slug, actor, true)
}

func (s *Service) unadopt(ctx context.Context, slug, key string, remote bool) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		a, err := s.load(ctx, tx, slug, true)
		if err != nil {
			return err
		}
		var id string
		err = tx.NewDelete().Model((*Adoption)(nil)).Where("app_id = ? AND adopter_key = ?", a.ID, key).
			Returning("id").Scan(ctx, &id)
		if errors.Is(database.Translate(err), database.ErrNotFound) {
			return ErrNotAdopted
		}
		if err != nil {
			return fmt.Errorf("remove adoption: %w", err)
		}
		now := s.now()
		if !remote {
			if err := outboxed(ctx, tx, now, outbox.Delete, "adoption", id); err != nil {
				return err
			}
		}
		if !a.Remote() {
			return outboxed(ctx, tx, now, outbox.Update, "app", a.ID)
		}
		return nil
	})
}

// Adoptions returns the cities that use an app, by name.
func (s *Service) Adoptions(ctx context.Context, slug string) ([]Adoption, error) {
	a, err := s.BySlug(ctx, slug)
	if err != nil {
		return nil, err
	}
	return s.adoptions(ctx, a.ID)
}

func (s *Service) adoptions(ctx context.Context, appID string) ([]Adoption, error) {
	var out []Adoption
	if err := s.db.NewSelect().Model(&out).Where("app_id = ?", appID).OrderExpr("lower(name), id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("load adoptions: %w", err)
	}
	return out, nil
}

// PublicCodeWithUsedBy returns an app's publiccode.yml as stored, with
// usedBy replaced by the names of the cities that use it now (sorted,
// each once; none leaves an empty list), re-encoded as YAML.
func (s *Service) PublicCodeWithUsedBy(ctx context.Context, slug string) ([]byte, error) {
	a, err := s.BySlug(ctx, slug)
	if err != nil {
		return nil, err
	}
	adoptions, err := s.adoptions(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, d := range adoptions {
		names = append(names, d.Name)
	}
	slices.Sort(names)
	names = slices.Compact(names)
	if len(names) > usedByMax {
		names = names[:usedByMax]
	}
	doc, _, err := parseNode(strings.NewReader(a.PublicCodeYML))
	if err != nil {
		return nil, fmt.Errorf("read stored publiccode.yml of %s: %w", slug, err)
	}
	return withUsedBy(doc, names)
}

// withUsedBy sets the top-level usedBy of a document and encodes it.
func withUsedBy(doc *yaml.Node, names []string) ([]byte, error) {
	top := doc
	if top.Kind == yaml.DocumentNode && len(top.Content) == 1 {
		top = top.Content[0]
	}
	if top.Kind != yaml.MappingNode {
		return nil, errors.New("publiccode.yml is not a mapping")
	}
	list := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
	for _, n := range names {
		list.Content = append(list.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: n})
	}
	replaced := false
	for i := 0; i+1 < len(top.Content); i += 2 {
		if k := top.Content[i]; k.Kind == yaml.ScalarNode && k.Value == "usedBy" {
			list.HeadComment, list.LineComment = top.Content[i+1].HeadComment, top.Content[i+1].LineComment
			top.Content[i+1] = list
			replaced = true
		}
	}
	if !replaced {
		top.Content = append(top.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "usedBy"}, list)
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(yamlIndent)
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("encode publiccode.yml: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encode publiccode.yml: %w", err)
	}
	return b.Bytes(), nil
}
