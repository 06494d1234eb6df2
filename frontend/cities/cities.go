// Package cities is the surface of federation for people: "Other
// cities" (the spaces of other nodes this node follows, what they
// publish, and public residents' comments on them) and the admin's
// federation page (follows, peers, the delivery queue, domain blocks).
package cities

import (
	"embed"
	"fmt"
	"html/template"

	"context"
	"errors"
	"time"

	"agora/frontend/web"
	"agora/instances/accounts"
	"agora/instances/markup"
)

//go:embed templates
var templates embed.FS

type surface struct {
	*web.Pages
	federation Federation
	markup     *markup.Renderer
}

// peerHTML is HTML a peer sent, for a template. Federation sanitised it
// on the way in; it is sanitised again here with the same policy, so that
// the only text a page marks as HTML is the sanitiser's own output, even
// for a row an older version stored raw.
func (s *surface) peerHTML(h string) template.HTML { return template.HTML(s.markup.Sanitize(h)) }

// Register serves the federation pages on the kit's router and links
// "Other cities" from the navigation: the admin's page (followed spaces,
// peers, the delivery queue, domain blocks) and the "Other cities" pages
// anyone may read, where a signed-in resident may comment. The
// ActivityPub surface itself (actors, inboxes, WebFinger) is the
// federation package's.
func Register(k *web.Kit, fed Federation, md *markup.Renderer) error {
	if fed == nil || k.Accounts() == nil {
		return errors.New("the federation pages need federation and accounts")
	}
	pages, err := k.Pages(templates, "templates/*.html")
	if err != nil {
		return fmt.Errorf("cities: %w", err)
	}
	if md == nil {
		md = markup.New()
	}
	s := &surface{Pages: pages, federation: fed, markup: md}
	k.Nav("cities")

	anyone, signedIn, admin := k.Anyone(), k.SignedIn(), k.Role(accounts.Admin)
	anyone.Get("/cities", s.citiesPage)
	anyone.Get("/cities/item", s.cityItemPage)
	signedIn.Post("/cities/comment", s.cityComment)
	admin.Get("/admin/federation", s.federationAdminPage)
	admin.Post("/admin/federation/follow", s.federationFollow)
	admin.Post("/admin/federation/unfollow", s.federationUnfollow)
	admin.Post("/admin/federation/blocks", s.federationBlockSet)
	admin.Post("/admin/federation/blocks/remove", s.federationBlockRemove)
	admin.Post("/admin/federation/parked/{id}/retry", s.parkedRetry)
	admin.Post("/admin/federation/parked/{id}/drop", s.parkedDrop)
	return nil
}

// Federation is what the pages need of the node's federation: following
// spaces of other cities and showing what they publish ("Other cities"),
// commenting on them, fediverse reactions shown apart, and the admin's
// view of peers, the delivery queue and domain blocks. cmd/agora adapts
// the federation package to it; frontend does not import federation.
type Federation interface {
	// FollowSpace asks a remote space to be followed: target is a handle
	// (@slug@host) or the space's URL. ErrFederationInput says what is
	// wrong with it, in words.
	FollowSpace(ctx context.Context, target, byAccountID string) (RemoteSpace, error)
	UnfollowSpace(ctx context.Context, actorID string) error
	FollowedSpaces(ctx context.Context) ([]RemoteSpace, error)
	// RemoteProposals are the proposals and debates (Pages) a followed
	// space sent, newest first; "" for every followed space.
	RemoteProposals(ctx context.Context, actorID string, limit int) ([]RemoteItem, error)
	// RemoteItem is one Page with its comments (Notes), oldest first.
	RemoteItem(ctx context.Context, id string) (RemoteItem, []RemoteItem, error)
	// CommentRemote publishes a public resident's comment on a remote Page
	// (sent to its space's node, which shows it with its origin).
	// ErrFederationInput when the account is not public or the body is bad.
	CommentRemote(ctx context.Context, accountID, pageID, bodyMarkdown string) error
	Peers(ctx context.Context) ([]PeerStatus, error)
	QueueDepth(ctx context.Context) (waiting, failing int, err error)
	Blocks(ctx context.Context) ([]DomainBlock, error)
	SetBlock(ctx context.Context, host, severity, reason, byAccountID string) error
	RemoveBlock(ctx context.Context, host string) error

	// ParkedJobs are the jobs that failed too often and wait for an admin
	// (latest first); RetryParked runs one again, DropParked deletes it.
	// ErrFederationInput for an id that is not a parked job.
	ParkedJobs(ctx context.Context, limit int) ([]ParkedJob, error)
	RetryParked(ctx context.Context, id int64) error
	DropParked(ctx context.Context, id int64) error
}

// ParkedJob is a job of federation that failed too often (an activity
// that could not be applied, a delivery refused for days...).
type ParkedJob struct {
	ID        int64
	Kind      string // ap_inbox, ap_deliver, ...
	Summary   string // what it is about, in one line
	Attempts  int
	LastError string
	At        time.Time
}

// ErrFederationInput is bad input to a federation act; its message says
// what, in English (pages show their own words for it).
var ErrFederationInput = errors.New("invalid")

// RemoteSpace is a space of another node that this node follows.
type RemoteSpace struct {
	ActorID  string // the Group's id (also its page)
	Handle   string // @slug@host
	Name     string
	Summary  string // sanitised HTML
	Host     string
	State    string // pending, accepted, rejected
	Since    time.Time
	Accepted *time.Time
}

// RemoteItem is a proposal, debate (Type Page) or comment (Note) of a
// followed space, as its node sent it.
type RemoteItem struct {
	ID, Type    string
	Space       string // the Group's id
	Author      string // name as the origin gives it
	AuthorID    string
	Name        string // a Page's title
	ContentHTML string // sanitised
	URL         string // the page on its node
	InReplyTo   string
	State       string // Agora's proposal state, "" when the origin is not Agora
	Supports    int    // supports counted on the origin node
	Published   time.Time
	Updated     time.Time
	Budget      *RemoteBudget // a project of another city's participatory budget, else nil
}

// RemoteBudget is what a project of another city's participatory budget
// says of itself: its figures as its node counts them, checked on the
// way in (texts plain, amounts whole, progress 0 to 100).
type RemoteBudget struct {
	Edition, Heading, Ref string
	Cost, Spent, Votes    int64
	Currency              string // ISO 4217
	Funded                bool
	Status                string // study, tender, works, done, abandoned; "" before any step
	Progress              int
}

// PeerStatus is a remote server's health as deliveries saw it.
type PeerStatus struct {
	Host             string
	LastSuccess      *time.Time
	LastFailure      *time.Time
	Failures         int
	UnreachableSince *time.Time
	LastError        string
}

// DomainBlock is an admin's decision about a host: suspend, silence, or
// allow (in allowlist mode).
type DomainBlock struct {
	Host, Severity, Reason string
	Since                  time.Time
}
