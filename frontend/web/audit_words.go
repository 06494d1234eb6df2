package web

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"agora/frontend/i18n"
	"agora/instances/accounts"
)

// The audit log stores its details as the domain writes them: facts
// ("role=moderator service=Voirie", "via=link") or fixed phrases
// (accounts.AuditOpenedByNode). Pages never show those: auditDetails and
// auditReason say them in the reader's language.

// auditFact finds the start of each "key=" of a details text.
var auditFact = regexp.MustCompile(`(?:^| )([a-z_]+)=`)

// auditPhrases are the fixed phrases the domain writes, and their words.
var auditPhrases = map[string]string{
	accounts.AuditOpenedByNode: "words.audit.opened_by_node",
	accounts.AuditOpenedAtDesk: "words.audit.opened_at_desk",
	accounts.AuditSelfSignUp:   "words.audit.self_sign_up",
	accounts.AuditAtCreation:   "words.audit.at_creation",
}

// auditDetails says an entry's details in the reader's language: each
// fact in words, joined; a text that is neither facts nor a known phrase
// (older entries) as it is.
func auditDetails(l *i18n.Printer, details string) string {
	details = strings.TrimSpace(details)
	if key, ok := auditPhrases[details]; ok {
		return l.T(key)
	}
	locs := auditFact.FindAllStringSubmatchIndex(details, -1)
	if len(locs) == 0 || locs[0][0] != 0 {
		return details
	}
	parts := make([]string, 0, len(locs))
	for i, loc := range locs {
		end := len(details)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		key, value := details[loc[2]:loc[3]], details[loc[1]:end]
		parts = append(parts, auditFactWords(l, key, value))
	}
	return strings.Join(parts, l.T("words.audit.sep"))
}

// auditReason says a reason: the domain's phrases in words, what a
// person typed as they typed it.
func auditReason(l *i18n.Printer, reason string) string {
	if key, ok := auditPhrases[reason]; ok {
		return l.T(key)
	}
	return reason
}

// auditFactWords says one fact. Facts whose value is a code (a role, a
// way of signing in, a method) are worded by key and value; a value of
// an unknown key is shown alone, never with its key.
func auditFactWords(l *i18n.Printer, key, value string) string {
	word := func(prefix, v string) string {
		if t := l.T(prefix + v); t != prefix+v {
			return t
		}
		return v
	}
	switch key {
	case "role":
		return l.T("words.audit.role", word("admin.role.", value))
	case "via", "method":
		if t := l.T("words.audit." + key + "." + value); !strings.HasPrefix(t, "words.audit.") {
			return t
		}
		return l.T("words.audit."+key+".other", value)
	case "language":
		return l.T("words.audit.language", word("words.language.", value))
	case "public":
		return l.T("words.audit.public." + strconv.FormatBool(value == "true"))
	case "changed":
		var fields []string
		for f := range strings.SplitSeq(value, ",") {
			fields = append(fields, word("words.audit.field.", f))
		}
		return l.T("words.audit.changed", strings.Join(fields, ", "))
	case "expires":
		if t, err := time.Parse(time.DateOnly, value); err == nil {
			value = l.CivilDate(t)
		}
		return l.T("words.audit.expires", value)
	case "entries", "codes", "stored", "received":
		if n, err := strconv.ParseInt(value, 10, 64); err == nil {
			value = l.Int(n)
		}
		return l.T("words.audit."+key, value)
	case "service", "document", "import", "batch", "space":
		return l.T("words.audit."+key, value)
	case "status": // a budget project's follow-up
		return word("budget.status.", value)
	case "feasible":
		if value == "true" {
			return l.T("budget.review.feasible")
		}
		return l.T("budget.review.unfeasible")
	case "rule":
		return word("budget.rule.", value)
	case "projects", "votes":
		if n, err := strconv.ParseInt(value, 10, 64); err == nil {
			value = l.Int(n)
		}
		return l.T("words.audit."+key, value)
	}
	return value
}
