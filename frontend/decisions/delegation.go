package decisions

import (
	"errors"
	"net/http"
	"strings"

	"agora/frontend/web"
	"agora/instances/accounts"
	"agora/instances/decisions"
)

// The delegation page: agree to be a delegate or withdraw, entrust one's
// vote for a scope (the node, a space, a category of a space) to a
// delegate by their identifier, see one's delegations and revoke them.

// delegationRow is one live delegation, in words.
type delegationRow struct {
	Scope       string // in words
	Space, Cat  string // the scope's ids, for the revoke form
	Delegate    *accounts.Account
	Named       bool
	RevokeLabel string
}

// delegationView is the delegation page.
type delegationView struct {
	Verified, Delegate bool
	Rows               []delegationRow
	Scopes             []web.Option
	Forms              delegationForms
	Done               string // agreed, withdrawn, delegated, revoked
}

// delegationForms are the page's forms: empty, or the one that failed.
type delegationForms struct{ Delegate, Agree, Revoke *web.Form }

func emptyForms() delegationForms {
	return delegationForms{web.EmptyForm(), web.EmptyForm(), web.EmptyForm()}
}

var delegationDone = []string{"agreed", "withdrawn", "delegated", "revoked"}

func (s *surface) delegationPage(w http.ResponseWriter, r *http.Request) {
	s.delegationRender(w, r, http.StatusOK, emptyForms())
}

func (s *surface) delegationRender(w http.ResponseWriter, r *http.Request, status int, forms delegationForms) {
	ctx := r.Context()
	acc := web.CurrentAccount(r)
	l := s.Printer(r)
	d := &delegationView{Forms: forms}
	if done := r.URL.Query().Get("done"); status == http.StatusOK {
		for _, x := range delegationDone {
			if x == done {
				d.Done = x
			}
		}
	}
	var err error
	if d.Verified, err = s.Accounts().IsVerified(ctx, acc.ID); err != nil {
		s.Fail(w, r, err)
		return
	}
	if d.Delegate, err = s.decisions.IsDelegate(ctx, acc.ID); err != nil {
		s.Fail(w, r, err)
		return
	}
	all, err := s.spaces.List(ctx)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	names := map[string]string{"": l.T("votepages.delegation.scope.node")}
	d.Scopes = []web.Option{{Value: "", Label: names[""]}}
	for _, sp := range all {
		names[sp.ID] = l.T("votepages.delegation.scope.space", sp.Title)
		d.Scopes = append(d.Scopes, web.Option{Value: sp.ID, Label: names[sp.ID]})
		for _, c := range sp.Categories {
			name := c.NameFR
			if l.Lang == "en" && c.NameEN != "" {
				name = c.NameEN
			}
			key := sp.ID + "/" + c.Slug
			names[key] = l.T("votepages.delegation.scope.category", name, sp.Title)
			d.Scopes = append(d.Scopes, web.Option{Value: key, Label: names[key]})
		}
	}
	list, err := s.decisions.Delegations(ctx, accounts.As(acc))
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	for _, x := range list {
		to, err := s.Accounts().ByID(ctx, x.DelegateID)
		if err != nil {
			s.Fail(w, r, err)
			return
		}
		key := x.SpaceID
		if x.Category != "" {
			key += "/" + x.Category
		}
		scope := names[key]
		if scope == "" {
			scope = key
		}
		d.Rows = append(d.Rows, delegationRow{Scope: scope, Space: x.SpaceID, Cat: x.Category, Delegate: to, Named: x.Named,
			RevokeLabel: l.T("votepages.delegation.revoke_one", scope)})
	}
	s.HTML(w, r, status, "delegation", l.T("votepages.delegation.title"), d)
}

// scopeOf reads a scope field: "" (the node), a space id, or
// "space/category".
func scopeOf(v string) decisions.Scope {
	sp, cat, _ := strings.Cut(v, "/")
	return decisions.Scope{SpaceID: sp, Category: cat}
}

func (s *surface) delegate(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	ctx := r.Context()
	f, l := web.NewForm(r), s.Printer(r)
	handle := strings.TrimPrefix(web.NormalizeHandle(f.Values["delegate"]), "@")
	var to *accounts.Account
	if handle == "" {
		f.Errors["delegate"] = l.T("votepages.error.delegate_required")
	} else {
		var err error
		to, err = s.Accounts().ByHandle(ctx, handle)
		switch {
		case errors.Is(err, accounts.ErrNotFound) || err == nil && to.Deleted():
			f.Errors["delegate"] = l.T("proposal.error.no_resident", handle)
		case err != nil:
			s.Fail(w, r, err)
			return
		}
	}
	forms := emptyForms()
	forms.Delegate = f
	if f.Invalid() {
		s.delegationRender(w, r, http.StatusBadRequest, forms)
		return
	}
	err := s.decisions.Delegate(ctx, accounts.As(web.CurrentAccount(r)), scopeOf(f.Values["scope"]), to.ID, f.Values["named"] == "on")
	if err != nil {
		s.delegationFailed(w, r, forms, f, err)
		return
	}
	http.Redirect(w, r, "/delegation?done=delegated", http.StatusSeeOther)
}

// delegationFailed shows the page again with the refusal next to its
// field, or fails the request for an error of the node.
// f is the one of forms that failed.
func (s *surface) delegationFailed(w http.ResponseWriter, r *http.Request, forms delegationForms, f *web.Form, err error) {
	if errors.Is(err, decisions.ErrNotVerified) {
		key := "votepages.error.delegator_unverified"
		if f == forms.Agree {
			key = "votepages.error.delegate_unverified"
		}
		f.Error = s.Printer(r).T(key)
		s.delegationRender(w, r, http.StatusForbidden, forms)
		return
	}
	if e := s.AsError(err); e.Status >= 500 {
		s.Fail(w, r, err)
		return
	}
	s.delegationRender(w, r, s.Refuse(w, r, f, err), forms)
}

func (s *surface) revoke(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	sc := decisions.Scope{SpaceID: r.PostForm.Get("space"), Category: r.PostForm.Get("category")}
	if err := s.decisions.Revoke(r.Context(), accounts.As(web.CurrentAccount(r)), sc); err != nil {
		forms := emptyForms()
		s.delegationFailed(w, r, forms, forms.Revoke, err)
		return
	}
	http.Redirect(w, r, "/delegation?done=revoked", http.StatusSeeOther)
}

func (s *surface) agree(w http.ResponseWriter, r *http.Request) {
	if err := s.decisions.Agree(r.Context(), accounts.As(web.CurrentAccount(r))); err != nil {
		forms := emptyForms()
		s.delegationFailed(w, r, forms, forms.Agree, err)
		return
	}
	http.Redirect(w, r, "/delegation?done=agreed", http.StatusSeeOther)
}

func (s *surface) withdraw(w http.ResponseWriter, r *http.Request) {
	if err := s.decisions.Withdraw(r.Context(), accounts.As(web.CurrentAccount(r))); err != nil {
		forms := emptyForms()
		s.delegationFailed(w, r, forms, forms.Agree, err)
		return
	}
	http.Redirect(w, r, "/delegation?done=withdrawn", http.StatusSeeOther)
}
