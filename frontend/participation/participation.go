// Package participation is the surface where residents take part: the
// home page, spaces and their phases, proposals with their files,
// supports and answers, debates, comment threads, and public profiles.
package participation

import (
	"context"
	"embed"
	"errors"
	"fmt"

	"agora/frontend/web"
	"agora/instances/accounts"
	"agora/instances/debates"
	"agora/instances/markup"
	"agora/instances/proposals"
	"agora/instances/spaces"
	"agora/storage/blobs"
)

//go:embed templates
var templates embed.FS

// Deps are the services participation uses.
type Deps struct {
	Accounts  *accounts.Service
	Spaces    *spaces.Service
	Proposals *proposals.Service
	Debates   *debates.Service
	Markup    *markup.Renderer
	Blobs     blobs.Store // where proposals' files are kept
	// Reactions, when set, counts fediverse likes and shares shown on
	// proposals and debates, apart from supports.
	Reactions Reactions
	// Follows, when set, shows signed-in readers the follow button of
	// spaces, proposals and debates.
	Follows Follows
}

// Reactions counts fediverse likes and shares of a local proposal,
// debate or comment: opinion, never supports.
type Reactions interface {
	Reactions(ctx context.Context, objectType, id string) (likes, shares int, err error)
}

type surface struct {
	*web.Pages
	accounts  *accounts.Service
	spaces    *spaces.Service
	proposals *proposals.Service
	debates   *debates.Service
	markup    *markup.Renderer
	blobs     blobs.Store
	reactions Reactions
	follows   Follows
	threads   *threadCache
}

// Register serves participation's pages on the kit's router.
func Register(k *web.Kit, d Deps) error {
	if d.Accounts == nil || d.Spaces == nil || d.Proposals == nil || d.Debates == nil || d.Markup == nil || d.Blobs == nil {
		return errors.New("participation needs accounts, spaces, proposals, debates, markup and blobs")
	}
	pages, err := k.Pages(templates, "templates/*.html", "templates/partials/*.html")
	if err != nil {
		return fmt.Errorf("participation: %w", err)
	}
	s := &surface{Pages: pages, accounts: d.Accounts, spaces: d.Spaces, proposals: d.Proposals, debates: d.Debates,
		markup: d.Markup, blobs: d.Blobs, reactions: d.Reactions, follows: d.Follows}
	s.threads = newThreadCache(s.debates, pages, k.Clock())
	for _, prefix := range []string{"/spaces", "/proposals/", "/debates/"} {
		k.Cache(prefix)
	}
	// A space's proposal list is the same for everyone: only the header
	// depends on the reader. A proposal's page depends on residents in
	// a few places, which proposalForReader fills.
	k.CacheForReaders("/spaces/*/proposals", nil)
	k.CacheForReaders("/proposals/*", s.proposalForReader)
	s.routes()
	return nil
}

// routes is participation's route table.
//
// The new-proposal form posts to one fixed path, /proposals/new?space=
// SLUG, and the edit form to /proposals/edit?id=ID, because upload limits
// are registered by path: each streams up to proposals.MaxAttachments
// files. POST /proposals/{id}/edit still takes an edit within the default
// body limit (a form without files, or small ones).
//
// Who may do what on debates and comments:
//   - anyone reads debates and threads;
//   - any signed-in resident opens a debate, comments, replies, supports a
//     comment (verified or not: a comment's support says "I agree" in a
//     conversation and triggers nothing the city must act on, unlike a
//     proposal's), and reports a proposal, a debate or a comment (the
//     moderation surface serves the report and moderation forms);
//   - a comment's author edits and deletes it;
//   - a debate is closed, with a conclusion, by its author who asked the
//     question, or by a moderator, an official (the city answers) or an
//     admin (debates.MayClose).
func (s *surface) routes() {
	anyone, signedIn := s.Anyone(), s.SignedIn()

	anyone.Get("/", s.home)
	anyone.Get("/people/{handle}", s.personPage)

	anyone.Get("/spaces", s.spaceListPage)
	anyone.Get("/spaces/{slug}", s.spacePage)

	anyone.Get("/spaces/{slug}/proposals", s.proposalListPage)
	signedIn.Get("/spaces/{slug}/proposals/new", s.proposalNewPage)
	signedIn.Post("/proposals/new", s.proposalNewSave)
	s.Upload("/proposals/new", proposalUploadLimit)
	signedIn.Post("/proposals/edit", s.proposalEditSave)
	s.Upload("/proposals/edit", proposalUploadLimit)
	anyone.Get("/proposals/{id}", s.proposalPage)
	signedIn.Get("/proposals/{id}/edit", s.proposalEditPage)
	signedIn.Post("/proposals/{id}/edit", s.proposalEditSave)
	signedIn.Post("/proposals/{id}/support", s.proposalSupport)
	signedIn.Post("/proposals/{id}/unsupport", s.proposalUnsupport)
	signedIn.Post("/proposals/{id}/withdraw", s.proposalWithdraw)
	signedIn.Post("/proposals/{id}/answer", s.proposalAnswer)
	anyone.Get("/proposals/{id}/attachments/{n:[0-9]+}", s.attachmentServe)

	anyone.Get("/spaces/{slug}/debates", s.debateListPage)
	signedIn.Get("/spaces/{slug}/debates/new", s.debateNewPage)
	signedIn.Post("/spaces/{slug}/debates/new", s.debateNewSave)
	anyone.Get("/debates/{id}", s.debatePage)
	signedIn.Post("/debates/{id}/close", s.debateClose)

	signedIn.Post("/comments", s.commentAdd)
	anyone.Get("/comments/{id}", s.commentGoTo)
	signedIn.Get("/comments/{id}/reply", s.commentReplyPage)
	signedIn.Post("/comments/{id}/reply", s.commentReplySave)
	signedIn.Get("/comments/{id}/edit", s.commentEditPage)
	signedIn.Post("/comments/{id}/edit", s.commentEditSave)
	signedIn.Post("/comments/{id}/delete", s.commentDelete)
	anyone.Get("/comments/{id}/history", s.commentHistory)
	signedIn.Post("/comments/{id}/support", s.commentSupport)
	signedIn.Post("/comments/{id}/unsupport", s.commentUnsupport)
}

// proposalUploadLimit is the body limit of the proposal form, new or
// edited: its files and room for the text fields.
const proposalUploadLimit = proposals.MaxAttachments*web.UploadMaxBytes + 1<<20

// storeUploads puts checked files in the blob store, for Attach.
func (s *surface) storeUploads(ctx context.Context, files []*web.Upload) ([]proposals.Attachment, error) {
	out := make([]proposals.Attachment, 0, len(files))
	for _, u := range files {
		info, err := s.blobs.Put(ctx, u.File)
		if err != nil {
			return nil, fmt.Errorf("store attachment: %w", err)
		}
		out = append(out, proposals.Attachment{BlobKey: info.Key, Name: u.Name, ContentType: u.ContentType, Size: info.Size})
	}
	return out, nil
}
