package proposals

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/instances/outbox"
	"agora/instances/spaces"
	"agora/storage/database"
)

// lock loads a proposal inside a transaction for a change.
func lock(ctx context.Context, tx bun.Tx, id string) (*Proposal, error) {
	p := new(Proposal)
	q := tx.NewSelect().Model(p).Where("p.id = ?", id)
	if database.IsPostgres(tx) {
		q = q.For("UPDATE")
	}
	err := q.Scan(ctx)
	if errors.Is(database.Translate(err), database.ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load proposal: %w", err)
	}
	return p, nil
}

// Edit changes a proposal's text. Its author may, alone, until the first
// support and within 15 minutes; moderators may at any time, with a
// reason kept in the timeline. Files in in.Attachments (checked and
// stored by the caller) are joined after the proposal's own, in the same
// transaction as the text: either both are saved or neither is.
func (s *Service) Edit(ctx context.Context, actor accounts.Actor, id string, in Input, reason string) error {
	if actor.Account == nil {
		return ErrSignIn
	}
	if err := checkAttachments(in.Attachments); err != nil {
		return err
	}
	sp, err := s.spaceOf(ctx, id)
	if err != nil {
		return err
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		p, err := lock(ctx, tx, id)
		if err != nil {
			return err
		}
		now := s.now()
		moderating := actor.Account.Has(accounts.Moderator) && actor.Account.ID != p.AuthorID
		switch {
		case moderating:
			if strings.TrimSpace(reason) == "" {
				return ErrReason
			}
		case actor.Account.ID != p.AuthorID:
			return ErrForbidden
		case !p.AuthorMayEdit(now):
			return ErrEditWindow
		}
		if err := s.check(sp, &in); err != nil {
			return err
		}
		if _, err := tx.NewUpdate().Model(p).
			Set("title = ?", in.Title).Set("body = ?", in.Body).Set("body_html = ?", s.md.Markdown(in.Body)).
			Set("category = ?", in.Category).Set("address = ?", in.Address).Set("lat = ?", in.Lat).Set("lon = ?", in.Lon).
			Set("edited_at = ?", now).Set("updated_at = ?", now).WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("edit proposal: %w", err)
		}
		if len(in.Attachments) > 0 {
			if err := s.insertAttachments(ctx, tx, p.AuthorID, id, in.Attachments); err != nil {
				return err
			}
		}
		if err := s.event(ctx, tx, &Event{ProposalID: id, ActorID: actor.Account.ID, Kind: "edited",
			FromState: p.State, ToState: p.State, Reason: strings.TrimSpace(reason)}); err != nil {
			return err
		}
		return outboxed(ctx, tx, now, outbox.Update, id, actor.Account.ID)
	})
	if err == nil {
		s.keys.forget(sp.ID) // its category may have changed
	}
	return err
}

// Withdraw lets the author take a proposal back. It is final.
func (s *Service) Withdraw(ctx context.Context, actor accounts.Actor, id string) error {
	author, err := s.person(ctx, actor)
	if err != nil {
		return err
	}
	var spaceID string
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		p, err := lock(ctx, tx, id)
		if err != nil {
			return err
		}
		if p.AuthorID != author.ID {
			return ErrForbidden
		}
		if p.State != Published && p.State != Review {
			return ErrTransition
		}
		spaceID = p.SpaceID
		return s.move(ctx, tx, actor, p, Withdrawn, "withdrawn", "", "")
	})
	if err == nil {
		s.keys.forget(spaceID)
	}
	return err
}

// move changes a proposal's state and records it. Its caller forgets the
// space's cached keys once the transaction is committed (its state
// filters change): forgotten before, a list read in between would keep
// the old ones.
func (s *Service) move(ctx context.Context, tx bun.Tx, actor accounts.Actor, p *Proposal, to State, kind, answer, service string) error {
	now := s.now()
	if _, err := tx.NewUpdate().Model(p).Set("state = ?", to).Set("updated_at = ?", now).WherePK().Exec(ctx); err != nil {
		return fmt.Errorf("change state: %w", err)
	}
	e := &Event{ProposalID: p.ID, Kind: kind, FromState: p.State, ToState: to, Service: service}
	if actor.Account != nil {
		e.ActorID = actor.Account.ID
	}
	if answer != "" {
		e.Answer, e.AnswerHTML = answer, s.md.Markdown(answer)
	}
	if err := s.event(ctx, tx, e); err != nil {
		return err
	}
	if err := notifyMoved(ctx, tx, now, e, p); err != nil {
		return err
	}
	p.State = to
	return outboxed(ctx, tx, now, outbox.Update, p.ID, e.ActorID)
}

// Answer is an official's public answer that moves a proposal: to review,
// in study, accepted, rejected, or implemented. The answer is required and
// signed with the official's city service.
func (s *Service) Answer(ctx context.Context, actor accounts.Actor, id string, to State, answer string) error {
	if actor.Account == nil {
		return ErrSignIn
	}
	if !actor.Account.Has(accounts.Official) {
		return ErrForbidden
	}
	answer = strings.TrimSpace(answer)
	if n := utf8.RuneCountInString(answer); n < 1 || n > 5000 {
		return ErrAnswer
	}
	service := ""
	for _, g := range actor.Account.Roles {
		if g.Role == accounts.Official {
			service = g.Service
		}
	}
	var spaceID string
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		p, err := lock(ctx, tx, id)
		if err != nil {
			return err
		}
		if !CanAnswer(p.State, to) {
			return ErrTransition
		}
		spaceID = p.SpaceID
		return s.move(ctx, tx, actor, p, to, "answer", answer, service)
	})
	if err == nil {
		s.keys.forget(spaceID)
	}
	return err
}

// Support adds the support of a verified resident (or of a resident at a
// desk, entered by an agent), never its author's nor a city service's
// (MaySupport). Crossing the space's threshold sends a
// published proposal to review, in the same transaction.
func (s *Service) Support(ctx context.Context, actor accounts.Actor, id string) error {
	who, err := s.person(ctx, actor)
	if err != nil {
		return err
	}
	if who.Has(accounts.Official) {
		return ErrServiceAccount
	}
	if err := s.verified(ctx, who); err != nil {
		return err
	}
	sp, err := s.spaceOf(ctx, id)
	if err != nil {
		return err
	}
	review := false
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		p, err := s.supportable(ctx, tx, id, sp)
		if err != nil {
			return err
		}
		if err := supporter(who, p.AuthorID); err != nil {
			return err
		}
		by, desk := enteredBy(actor)
		res, err := tx.NewRaw("INSERT INTO proposal_supports (proposal_id, account_id, created_at, entered_by, desk) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
			p.ID, who.ID, s.now(), nullable(by), desk).Exec(ctx)
		if err != nil {
			return fmt.Errorf("add support: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrAlreadySupported
		}
		if _, err := tx.NewUpdate().Model(p).Set("support_count = support_count + 1").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("count support: %w", err)
		}
		p.SupportCount++
		if err := notifyDesk(ctx, tx, s.now(), actor, p, "notify.desk.supported"); err != nil {
			return err
		}
		if p.State == Published && sp.SupportThreshold > 0 && p.SupportCount >= sp.SupportThreshold {
			review = true
			return s.move(ctx, tx, accounts.System, p, Review, "review", "", "")
		}
		return outboxed(ctx, tx, s.now(), outbox.Update, p.ID, actor.Account.ID)
	})
	if err == nil && review {
		s.keys.forget(sp.ID)
	}
	return err
}

// Unsupport withdraws a support while the support phase is open.
func (s *Service) Unsupport(ctx context.Context, actor accounts.Actor, id string) error {
	who, err := s.person(ctx, actor)
	if err != nil {
		return err
	}
	sp, err := s.spaceOf(ctx, id)
	if err != nil {
		return err
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		p, err := s.supportable(ctx, tx, id, sp)
		if err != nil {
			return err
		}
		res, err := tx.NewDelete().TableExpr("proposal_supports").Where("proposal_id = ? AND account_id = ?", p.ID, who.ID).Exec(ctx)
		if err != nil {
			return fmt.Errorf("remove support: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotSupported
		}
		if _, err := tx.NewUpdate().Model(p).Set("support_count = support_count - 1").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("count support: %w", err)
		}
		if err := notifyDesk(ctx, tx, s.now(), actor, p, "notify.desk.unsupported"); err != nil {
			return err
		}
		return outboxed(ctx, tx, s.now(), outbox.Update, p.ID, actor.Account.ID)
	})
}

// spaceOf loads the space of a proposal before a transaction on it: read
// inside, on another pooled connection, it would wait for a connection
// while holding the row lock, and with every connection held by someone
// queued on that lock (PostgreSQL keeps 20), never get one.
func (s *Service) spaceOf(ctx context.Context, id string) (*spaces.Space, error) {
	var spaceID string
	err := s.db.NewSelect().Model((*Proposal)(nil)).Column("space_id").Where("p.id = ?", id).Scan(ctx, &spaceID)
	if errors.Is(database.Translate(err), database.ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load proposal: %w", err)
	}
	return s.spaces.ByID(ctx, spaceID)
}

// supportable loads a proposal of space sp that may take or lose supports now.
func (s *Service) supportable(ctx context.Context, tx bun.Tx, id string, sp *spaces.Space) (*Proposal, error) {
	p, err := lock(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if err := SupportsOpen(p, sp, s.now()); err != nil {
		return nil, err
	}
	return p, nil
}

// Supports reports which of the given proposals the account supports.
func (s *Service) Supports(ctx context.Context, accountID string, ids []string) (map[string]bool, error) {
	out := map[string]bool{}
	if accountID == "" || len(ids) == 0 {
		return out, nil
	}
	var got []string
	err := s.db.NewSelect().TableExpr("proposal_supports").Column("proposal_id").
		Where("account_id = ? AND proposal_id IN (?)", accountID, bun.In(ids)).Scan(ctx, &got)
	if err != nil {
		return nil, fmt.Errorf("load supports: %w", err)
	}
	for _, id := range got {
		out[id] = true
	}
	return out, nil
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
