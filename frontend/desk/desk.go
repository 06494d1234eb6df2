// Package desk is the surface of the town-hall desk, where agents act for
// residents who come in person: finding or opening an account, verifying
// residency, correcting a profile, printing a sheet with a set-up code.
// Every act records the agent, the desk and the resident.
package desk

import (
	"embed"
	"errors"
	"fmt"

	"agora/frontend/web"
	"agora/instances/accounts"
)

//go:embed templates
var templates embed.FS

type surface struct {
	*web.Pages
	accounts *accounts.Service
}

// Register serves the desk on the kit's router; the kit must have been
// built with the accounts service.
func Register(k *web.Kit) error {
	if k.Accounts() == nil {
		return errors.New("the desk needs the accounts service")
	}
	pages, err := k.Pages(templates, "templates/*.html")
	if err != nil {
		return fmt.Errorf("desk: %w", err)
	}
	s := &surface{Pages: pages, accounts: k.Accounts()}
	s.routes()
	return nil
}

// routes is the route table of the desk.
func (s *surface) routes() {
	agent := s.Role(accounts.Agent)

	agent.Get("/desk", s.deskPage)
	agent.Post("/desk/name", s.deskNameSave)
	agent.Get("/desk/accounts/new", s.deskNewPage)
	agent.Post("/desk/accounts/new", s.deskNewSave)
	agent.Get("/desk/accounts/{id}", s.deskResidentPage)
	agent.Post("/desk/accounts/{id}/verify", s.deskVerify)
	agent.Post("/desk/accounts/{id}/revoke", s.deskRevoke)
	agent.Post("/desk/accounts/{id}/profile", s.deskProfile)
	agent.Post("/desk/accounts/{id}/sheet", s.deskSheet)
}
