package frontend

import (
	"errors"
	"net/http"

	"agora/instances/accounts"
	"agora/instances/proposals"
)

// deskActor is who acts on a proposal form: the signed-in account, or,
// when an agent names a resident present at the desk (fields on_behalf
// and desk), the agent for that resident. Wrong
// fields get their message in f and ok false; err is for an account that
// is not an agent's, or a failure of the node.
func (s *server) deskActor(r *http.Request, f *form) (actor accounts.Actor, ok bool, err error) {
	acc := currentAccount(r)
	actor = accounts.As(acc)
	handle := normalizeHandle(f.Values["on_behalf"])
	if handle == "" {
		if f.Values["behalf"] != "" {
			f.Errors["on_behalf"] = s.render.printer(r).T("proposal.error.behalf_required")
			return actor, false, nil
		}
		return actor, true, nil
	}
	if !acc.Has(accounts.Agent) {
		return actor, false, proposals.ErrForbidden
	}
	l := s.render.printer(r)
	ok = true
	switch key := checkDesk(f.Values["desk"]); key {
	case "":
	case "desk.error.desk_invalid":
		f.Errors["desk"], ok = l.T(key, deskMaxLen), false
	default:
		f.Errors["desk"], ok = l.T(key), false
	}
	resident, err := s.accounts.ByHandle(r.Context(), handle)
	switch {
	case errors.Is(err, accounts.ErrNotFound) || err == nil && resident.Deleted():
		f.Errors["on_behalf"], ok = l.T("proposal.error.no_resident", handle), false
	case err != nil:
		return actor, false, err
	case resident.ID == acc.ID:
		f.Errors["on_behalf"], ok = l.T("proposal.error.behalf_self"), false
	}
	if !ok {
		return actor, false, nil
	}
	return accounts.Actor{Account: acc, OnBehalfOf: resident, Desk: f.Values["desk"]}, true, nil
}
