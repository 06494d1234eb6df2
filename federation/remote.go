package federation

import (
	"cmp"
	"context"
	"crypto/x509"
	"database/sql"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"agora/federation/signature"
)

// RemoteActor is what the node keeps of an actor on another server.
type RemoteActor struct {
	bun.BaseModel     `bun:"table:ap_remote_actors"`
	ID                string    `bun:"id,pk"`
	Type              string    `bun:"type"`
	Host              string    `bun:"host"`
	Inbox             string    `bun:"inbox"`
	SharedInbox       string    `bun:"shared_inbox"`
	KeyID             string    `bun:"key_id"`
	PublicKeyPEM      string    `bun:"public_key_pem"`
	PreferredUsername string    `bun:"preferred_username"`
	Name              string    `bun:"name"`
	URL               string    `bun:"url"`
	Summary           string    `bun:"summary"`
	FetchedAt         time.Time `bun:"fetched_at"`
}

// DeliverTo is the inbox to reach the actor at: its server's shared
// inbox when it has one.
func (a *RemoteActor) DeliverTo() string {
	if a.SharedInbox != "" {
		return a.SharedInbox
	}
	return a.Inbox
}

// Handle is @name@host, or the actor's id when it has no name.
func (a *RemoteActor) Handle() string {
	if a.PreferredUsername == "" {
		return a.ID
	}
	return "@" + a.PreferredUsername + "@" + a.Host
}

// actorRefresh is how long a fetched actor is trusted before it is
// fetched again.
const actorRefresh = 24 * time.Hour

// remoteActor returns the actor with that id, fetched (signed by the
// instance actor) when unknown, stale or when refetch asks.
func (s *Service) remoteActor(ctx context.Context, id string, refetch bool) (*RemoteActor, error) {
	if !refetch {
		var a RemoteActor
		err := s.db.NewSelect().Model(&a).Where("id = ?", id).Scan(ctx)
		if err == nil && s.now().Sub(a.FetchedAt) < actorRefresh {
			return &a, nil
		}
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("read actor %s: %w", id, err)
		}
	}
	u, err := url.Parse(id)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("%w: actor id %q", ErrInvalid, id)
	}
	if err := s.refuseBlocked(u.Hostname()); err != nil {
		return nil, err
	}
	body, err := s.fetchSigned(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("fetch actor %s: %w", id, err)
	}
	a, err := parseActor(body)
	if err != nil {
		return nil, fmt.Errorf("actor %s: %w", id, err)
	}
	if a.ID != id {
		// The document must be the actor asked for, on the same host:
		// anything else could plant someone else's key.
		return nil, fmt.Errorf("%w: fetched %s, got %s", ErrInvalid, id, a.ID)
	}
	s.cleanActor(a)
	a.Host, a.FetchedAt = strings.ToLower(u.Host), s.now()
	_, err = s.db.NewInsert().Model(a).On("CONFLICT (id) DO UPDATE").
		Set("type = EXCLUDED.type, host = EXCLUDED.host, inbox = EXCLUDED.inbox, shared_inbox = EXCLUDED.shared_inbox").
		Set("key_id = EXCLUDED.key_id, public_key_pem = EXCLUDED.public_key_pem, preferred_username = EXCLUDED.preferred_username").
		Set("name = EXCLUDED.name, url = EXCLUDED.url, summary = EXCLUDED.summary, fetched_at = EXCLUDED.fetched_at").
		Exec(ctx)
	if err != nil {
		return nil, fmt.Errorf("store actor %s: %w", id, err)
	}
	s.keyCache.forget(a.ID)
	return a, nil
}

// fetchSigned GETs an ActivityStreams document, signed by the instance
// actor (peers in authorized-fetch mode require it).
func (s *Service) fetchSigned(ctx context.Context, id string) ([]byte, error) {
	signer, err := s.signer(ctx, s.ids.Instance())
	if err != nil {
		return nil, err
	}
	body, _, err := s.client.Document(ctx, id, signer)
	return body, err
}

// remoteKey is the signature verifier's key source: the key is found
// through the actor that owns it (the keyId is the actor's id with a
// fragment, as Mastodon does, or a key document naming its owner). What
// it fetches is bounded (keyfetch.go): a bad signature must not make the
// node fetch without limit.
func (s *Service) remoteKey(ctx context.Context, keyID string, refetch bool) (*signature.Key, error) {
	now := s.now()
	if c, ok := s.keyCache.get(keyID, now); ok && (!refetch || now.Sub(c.fetchedAt) < keyRefetchAfter) {
		return c.key, nil
	}
	var known RemoteActor
	err := s.db.NewSelect().Model(&known).Where("key_id = ?", keyID).Limit(1).Scan(ctx)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("read key %s: %w", keyID, err)
	}
	// A refetch (the signature did not verify with the key we have: the
	// actor may have rotated it) is done once per keyRefetchAfter at most.
	if err == nil && (!refetch || now.Sub(known.FetchedAt) < keyRefetchAfter) {
		key, err := actorKeyOf(&known)
		if err == nil {
			s.keyCache.put(key, known.FetchedAt, now)
		}
		return key, err
	}
	// Simultaneous requests signed with one unknown key (a new actor's
	// first activities, all at once) fetch it once.
	flight := keyID
	if refetch {
		flight += " refetch"
	}
	v, err, _ := s.keyFlights.Do(flight, func() (any, error) {
		if s.keyFetches.failedRecently(keyID) {
			return nil, errKeyFailedRecently
		}
		host := hostName(keyID) // per host, whatever the port
		if !s.keyFetches.allowWithin(ctx, host, keyFetchWait) {
			return nil, errKeyFetchLimit
		}
		noted := noteKeyFetch(ctx, host)
		key, err := s.fetchKey(ctx, keyID, refetch)
		if !noted { // no request to settle it: no refund
			s.keyFetches.settle(host, false)
		}
		if err != nil && ctx.Err() == nil {
			s.keyFetches.failed(keyID)
		}
		if err == nil {
			s.keyCache.put(key, s.now(), s.now())
		}
		return key, err
	})
	if err != nil {
		return nil, err
	}
	return v.(*signature.Key), nil
}

// fetchKey fetches the actor that owns keyID and returns its key.
func (s *Service) fetchKey(ctx context.Context, keyID string, refetch bool) (*signature.Key, error) {
	actorID, _, _ := strings.Cut(keyID, "#")
	a, err := s.remoteActor(ctx, actorID, refetch)
	if err != nil && !strings.Contains(keyID, "#") {
		// A key at its own URL (GoToSocial: …/main-key): read its owner.
		body, ferr := s.fetchSigned(ctx, keyID)
		if ferr != nil {
			return nil, ferr
		}
		var doc struct {
			Owner     string `json:"owner"`
			PublicKey struct {
				Owner string `json:"owner"`
			} `json:"publicKey"`
		}
		if json.Unmarshal(body, &doc) != nil {
			return nil, err
		}
		owner := cmp.Or(doc.Owner, doc.PublicKey.Owner)
		if owner == "" {
			return nil, err
		}
		a, err = s.remoteActor(ctx, owner, refetch)
	}
	if err != nil {
		return nil, err
	}
	if a.KeyID != keyID {
		return nil, fmt.Errorf("%w: key %s is not %s's (%s)", ErrInvalid, keyID, a.ID, a.KeyID)
	}
	return actorKeyOf(a)
}

func actorKeyOf(a *RemoteActor) (*signature.Key, error) {
	block, _ := pem.Decode([]byte(a.PublicKeyPEM))
	if block == nil {
		return nil, fmt.Errorf("%w: %s has no PEM key", ErrInvalid, a.ID)
	}
	pub, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		// Some servers send PKCS#1 ("RSA PUBLIC KEY").
		if pub1, err1 := x509.ParsePKCS1PublicKey(block.Bytes); err1 == nil {
			return &signature.Key{ID: a.KeyID, Owner: a.ID, Public: pub1}, nil
		}
		return nil, fmt.Errorf("%w: key of %s: %v", ErrInvalid, a.ID, err)
	}
	return &signature.Key{ID: a.KeyID, Owner: a.ID, Public: pub}, nil
}

// parseActor reads the parts of an actor document the node needs.
func parseActor(body []byte) (*RemoteActor, error) {
	var doc struct {
		ID                string `json:"id"`
		Type              any    `json:"type"`
		Inbox             string `json:"inbox"`
		PreferredUsername string `json:"preferredUsername"`
		Name              string `json:"name"`
		Summary           string `json:"summary"`
		URL               any    `json:"url"`
		Endpoints         struct {
			SharedInbox string `json:"sharedInbox"`
		} `json:"endpoints"`
		PublicKey json.RawMessage `json:"publicKey"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("%w: not an actor document: %v", ErrInvalid, err)
	}
	if doc.ID == "" || doc.Inbox == "" {
		return nil, fmt.Errorf("%w: actor without id or inbox", ErrInvalid)
	}
	a := &RemoteActor{ID: doc.ID, Type: firstString(doc.Type), Inbox: doc.Inbox, SharedInbox: doc.Endpoints.SharedInbox,
		PreferredUsername: doc.PreferredUsername, Name: doc.Name, Summary: doc.Summary, URL: firstString(doc.URL)}
	// publicKey is an object, or (rarely) a list of them.
	type key struct {
		ID           string `json:"id"`
		Owner        string `json:"owner"`
		PublicKeyPem string `json:"publicKeyPem"`
	}
	var keys []key
	var one key
	if json.Unmarshal(doc.PublicKey, &one) == nil && one.ID != "" {
		keys = []key{one}
	} else {
		json.Unmarshal(doc.PublicKey, &keys)
	}
	for _, k := range keys {
		if k.PublicKeyPem != "" && (k.Owner == "" || k.Owner == a.ID) {
			a.KeyID, a.PublicKeyPEM = k.ID, k.PublicKeyPem
			break
		}
	}
	if a.KeyID == "" {
		return nil, fmt.Errorf("%w: actor %s has no public key", ErrInvalid, a.ID)
	}
	for _, in := range []string{a.Inbox, a.SharedInbox} {
		if in == "" {
			continue
		}
		if u, err := url.Parse(in); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return nil, fmt.Errorf("%w: actor %s has a bad inbox %q", ErrInvalid, a.ID, in)
		}
	}
	return a, nil
}

// firstString is a JSON value that may be a string, a list of strings or
// an object with an href (as url is sent): the first string in it.
func firstString(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case []any:
		for _, e := range t {
			if s := firstString(e); s != "" {
				return s
			}
		}
	case map[string]any:
		if h, ok := t["href"].(string); ok {
			return h
		}
	}
	return ""
}

// hostName is the host of an IRI without its port, lowercased.
func hostName(iri string) string {
	u, err := url.Parse(iri)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Hostname())
}
