package web

import (
	"net/http"

	"agora/instances/accounts"
)

// AuditView is an audit entry as the "audit-entries" partial shows it:
// the resident's history, the desk and the admin's log.
type AuditView struct {
	accounts.AuditEntry
	Actor, Subject, OnBehalfOf string // handles, resolved for display
	// Said and Why are the details and the reason in the reader's words.
	Said, Why string
}

// AuditViews resolves the ids in audit entries to handles for display.
func (k *Kit) AuditViews(r *http.Request, entries []accounts.AuditEntry) []AuditView {
	names := map[string]string{"": ""}
	name := func(id string) string {
		if n, ok := names[id]; ok {
			return n
		}
		n := "?"
		if a, err := k.accounts.ByID(r.Context(), id); err == nil {
			n = "@" + a.Handle
			if a.Deleted() {
				n = k.Printer(r).T("account.former")
			}
		}
		names[id] = n
		return n
	}
	l := k.Printer(r)
	out := make([]AuditView, len(entries))
	for i, e := range entries {
		out[i] = AuditView{AuditEntry: e, Actor: name(e.ActorID), Subject: name(e.SubjectID), OnBehalfOf: name(e.OnBehalfOf),
			Said: auditDetails(l, e.Details), Why: auditReason(l, e.Reason)}
	}
	return out
}
