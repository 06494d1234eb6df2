package main

import (
	"context"
	"errors"
	"fmt"

	"agora/federation"
	"agora/federation/as2"
	"agora/frontend"
	"agora/frontend/cities"
)

// federationPages adapts the federation service to what the pages need
// (frontend.Federation): frontend does not import federation, so the
// types are copied here, at the one place that knows both.
type federationPages struct{ s *federation.Service }

var _ frontend.Federation = federationPages{}

// input turns federation's bad-input errors into the frontend's.
func input(err error) error {
	if errors.Is(err, federation.ErrInvalid) || errors.Is(err, federation.ErrBlocked) {
		return fmt.Errorf("%w: %v", cities.ErrFederationInput, err)
	}
	return err
}

func (f federationPages) FollowSpace(ctx context.Context, target, by string) (cities.RemoteSpace, error) {
	fl, err := f.s.Follow(ctx, target, by)
	if err != nil {
		return cities.RemoteSpace{}, input(err)
	}
	return remoteSpace(*fl), nil
}

func (f federationPages) UnfollowSpace(ctx context.Context, actorID string) error {
	return input(f.s.Unfollow(ctx, actorID))
}

func (f federationPages) FollowedSpaces(ctx context.Context) ([]cities.RemoteSpace, error) {
	fls, err := f.s.Followings(ctx)
	out := make([]cities.RemoteSpace, 0, len(fls))
	for _, fl := range fls {
		out = append(out, remoteSpace(fl))
	}
	return out, err
}

func remoteSpace(fl federation.Following) cities.RemoteSpace {
	rs := cities.RemoteSpace{ActorID: fl.Remote, State: fl.State, Since: fl.CreatedAt, Accepted: fl.AcceptedAt}
	if a := fl.Actor; a != nil {
		rs.Handle, rs.Name, rs.Summary, rs.Host = a.Handle(), a.Name, a.Summary, a.Host
	}
	return rs
}

func (f federationPages) RemoteProposals(ctx context.Context, actorID string, limit int) ([]cities.RemoteItem, error) {
	objs, err := f.s.RemoteObjects(ctx, actorID, "", int64(limit))
	return remoteItems(objs), err
}

func (f federationPages) RemoteItem(ctx context.Context, id string) (cities.RemoteItem, []cities.RemoteItem, error) {
	o, err := f.s.RemoteObject(ctx, id)
	if err != nil || o.DeletedAt != nil || o.Type == "Note" {
		return cities.RemoteItem{}, nil, fmt.Errorf("%w: no such proposal of another city", cities.ErrFederationInput)
	}
	comments, err := f.s.RemoteObjects(ctx, "", o.ID, 500)
	return remoteItems([]federation.RemoteObject{*o})[0], remoteItems(comments), err
}

func remoteItems(objs []federation.RemoteObject) []cities.RemoteItem {
	out := make([]cities.RemoteItem, 0, len(objs))
	for _, o := range objs {
		out = append(out, cities.RemoteItem{ID: o.ID, Type: o.Type, Space: o.Group, Author: o.AuthorName,
			AuthorID: o.AttributedTo, Name: o.Name, ContentHTML: o.ContentHTML, URL: o.URL, InReplyTo: o.InReplyTo,
			State: o.State, Supports: o.Supports, Published: o.Published, Updated: o.Updated, Budget: remoteBudget(o.Budget)})
	}
	return out
}

func remoteBudget(b *as2.BudgetProject) *cities.RemoteBudget {
	if b == nil {
		return nil
	}
	return &cities.RemoteBudget{Edition: b.Edition, Heading: b.Heading, Ref: b.Ref, Cost: b.Cost, Spent: b.Spent,
		Votes: b.Votes, Currency: b.Currency, Funded: b.Funded, Status: b.Status, Progress: b.Progress}
}

func (f federationPages) CommentRemote(ctx context.Context, accountID, pageID, body string) error {
	return input(f.s.CommentRemote(ctx, accountID, pageID, body))
}

func (f federationPages) Reactions(ctx context.Context, objectType, id string) (int, int, error) {
	return f.s.Reactions(ctx, objectType, id)
}

func (f federationPages) Peers(ctx context.Context) ([]cities.PeerStatus, error) {
	peers, err := f.s.Peers(ctx)
	out := make([]cities.PeerStatus, 0, len(peers))
	for _, p := range peers {
		out = append(out, cities.PeerStatus{Host: p.Host, LastSuccess: p.LastSuccessAt, LastFailure: p.LastFailureAt,
			Failures: p.Failures, UnreachableSince: p.UnreachableSince, LastError: p.LastError})
	}
	return out, err
}

func (f federationPages) QueueDepth(ctx context.Context) (int, int, error) {
	return f.s.QueueDepth(ctx)
}

func (f federationPages) Blocks(ctx context.Context) ([]cities.DomainBlock, error) {
	blocks, err := f.s.Blocks(ctx)
	out := make([]cities.DomainBlock, 0, len(blocks))
	for _, b := range blocks {
		out = append(out, cities.DomainBlock{Host: b.Host, Severity: b.Severity, Reason: b.Reason, Since: b.CreatedAt})
	}
	return out, err
}

func (f federationPages) SetBlock(ctx context.Context, host, severity, reason, by string) error {
	return input(f.s.SetBlock(ctx, host, severity, reason, by))
}

func (f federationPages) RemoveBlock(ctx context.Context, host string) error {
	return input(f.s.RemoveBlock(ctx, host))
}

func (f federationPages) ParkedJobs(ctx context.Context, limit int) ([]cities.ParkedJob, error) {
	jobs, err := f.s.ParkedJobs(ctx, limit)
	out := make([]cities.ParkedJob, 0, len(jobs))
	for _, j := range jobs {
		out = append(out, cities.ParkedJob{ID: j.ID, Kind: j.Kind, Summary: j.Summary, Attempts: j.Attempts, LastError: j.LastError, At: j.At})
	}
	return out, err
}

func (f federationPages) RetryParked(ctx context.Context, id int64) error {
	return parkedInput(f.s.RetryParked(ctx, id))
}

func (f federationPages) DropParked(ctx context.Context, id int64) error {
	return parkedInput(f.s.DropParked(ctx, id))
}

// parkedInput turns "no such parked job" into the frontend's bad input.
func parkedInput(err error) error {
	if errors.Is(err, federation.ErrNotParked) {
		return fmt.Errorf("%w: %v", cities.ErrFederationInput, err)
	}
	return err
}
