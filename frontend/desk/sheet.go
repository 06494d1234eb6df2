package desk

import (
	"net/http"
	"time"

	"agora/frontend/web"

	"agora/frontend/i18n"
	"agora/instances/accounts"
)

// sheetData is the one-page sheet an agent prints for a resident with no
// device: the handle and a one-time code to activate the account from
// any device. The code exists in clear only in this response.
type sheetData struct {
	Resident *accounts.Account
	Code     string
	Expires  time.Time
	SetupURL string
	Created  bool        // the account was opened just now
	Texts    []sheetText // French first, then the resident's language
}

// sheetText is the sheet's wording in one language.
type sheetText struct {
	Lang string
	L    *i18n.Printer
}

// deskSheet issues a new setup code for an existing account, replacing
// the unused one, and answers with its sheet.
func (s *surface) deskSheet(w http.ResponseWriter, r *http.Request) {
	resident, ok := s.deskResident(w, r)
	if !ok || !s.ParseForm(w, r) {
		return
	}
	f := web.NewForm(r)
	desk, ok := s.PostedDesk(r, f)
	if !ok {
		s.renderResident(w, r, http.StatusBadRequest, resident, f, "sheet")
		return
	}
	s.RememberDesk(w, desk)
	s.issueSheet(w, r, resident, desk, false)
}

// issueSheet makes a setup code for the resident and shows its sheet.
func (s *surface) issueSheet(w http.ResponseWriter, r *http.Request, resident *accounts.Account, desk string, created bool) {
	code, err := s.accounts.NewSetupCode(r.Context(), accounts.Actor{Account: web.CurrentAccount(r), Desk: desk}, resident.ID)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d := sheetData{Resident: resident, Code: code, Expires: s.Now().Add(accounts.SetupCodeTTL),
		SetupURL: s.BaseURL().JoinPath("setup").String(), Created: created}
	for _, lang := range i18n.Languages[:1] {
		d.Texts = append(d.Texts, sheetText{Lang: lang, L: s.Catalog().Printer(lang)})
	}
	if resident.Language != i18n.Languages[0] {
		d.Texts = append(d.Texts, sheetText{Lang: resident.Language, L: s.Catalog().Printer(resident.Language)})
	}
	// Never kept by a browser cache or a proxy: the code is a key.
	w.Header().Set("Cache-Control", "no-store")
	s.HTML(w, r, http.StatusOK, "desk_sheet", s.Printer(r).T("desk.sheet.title", resident.Handle), d)
}
