package accounts

import (
	"net/http"

	"agora/frontend/web"
	"agora/instances/accounts"
)

// supportsSave says whether the resident's public profile lists the
// proposals they support.
func (s *surface) supportsSave(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	acc := web.CurrentAccount(r)
	if err := s.accounts.SetShowSupports(r.Context(), accounts.As(acc), acc.ID, r.PostForm.Get("show_supports") == "on"); err != nil {
		s.accountFailed(w, r, "profile", err)
		return
	}
	http.Redirect(w, r, "/account?done=supports_saved", http.StatusSeeOther)
}
