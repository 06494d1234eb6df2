package cities

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"agora/frontend/web"

	"github.com/gorilla/mux"
)

// parkedView is a parked job as the admin's page lists it.
type parkedView struct {
	ID                      int64
	Kind, Summary, At, Last string
	Attempts                int
}

// parkedShown is how many parked jobs the page lists.
const parkedShown = 50

// parkedRetry runs a parked job again, from its first attempt.
func (s *surface) parkedRetry(w http.ResponseWriter, r *http.Request) {
	s.parkedAct(w, r, s.federation.RetryParked, "parked_retried")
}

// parkedDrop deletes a parked job for good.
func (s *surface) parkedDrop(w http.ResponseWriter, r *http.Request) {
	s.parkedAct(w, r, s.federation.DropParked, "parked_dropped")
}

func (s *surface) parkedAct(w http.ResponseWriter, r *http.Request, act func(ctx context.Context, id int64) error, done string) {
	id, err := strconv.ParseInt(mux.Vars(r)["id"], 10, 64)
	if err != nil {
		err = fmt.Errorf("%w: job id: %v", ErrFederationInput, err)
	} else {
		err = act(r.Context(), id)
	}
	if err != nil {
		if !errors.Is(err, ErrFederationInput) {
			s.Fail(w, r, err)
			return
		}
		l := s.Printer(r)
		s.renderFederationAdmin(w, r, http.StatusNotFound, federationAdminData{Follow: web.EmptyForm(), Block: web.EmptyForm(),
			ParkedError: l.T("federation.parked.gone")})
		return
	}
	http.Redirect(w, r, "/admin/federation?done="+done+"#parked", http.StatusSeeOther)
}
