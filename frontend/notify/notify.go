// Package notify is the surface of follows and notifications: a signed-in
// resident's notifications page (grouped by day, marked read by a form),
// the follow and unfollow buttons' posts, and the header's count of
// unread notifications (through Kit.Unread). Everything works without
// JavaScript.
package notify

import (
	"embed"
	"errors"
	"fmt"
	"net/http"

	"agora/frontend/web"
	"agora/instances/notifications"
)

//go:embed templates
var templates embed.FS

// Deps is what the surface uses.
type Deps struct {
	Notifications *notifications.Service
	// Courier, when set (the node has an SMTP server), lets residents
	// give an address and get their notifications by email.
	Courier *Courier
	// Fediverse, when set, lets residents link a fediverse account and
	// get their notifications there as direct messages.
	Fediverse Fediverse
}

type surface struct {
	*web.Pages
	svc     *notifications.Service
	courier *Courier
	fedi    Fediverse
}

// errorTable is what a reader is told of the errors of
// instances/notifications.
var errorTable = []web.DomainError{
	web.MapError(notifications.ErrTarget, http.StatusBadRequest, "notify.error.target", ""),
	web.MapError(notifications.ErrNotFound, http.StatusNotFound, "notify.error.not_found", ""),
	web.MapError(notifications.ErrAddress, http.StatusBadRequest, "notify.error.address", "email"),
	web.MapError(notifications.ErrUnverified, http.StatusConflict, "notify.error.unverified", "frequency"),
	web.MapError(notifications.ErrFrequency, http.StatusBadRequest, "notify.error.frequency", "frequency"),
	web.MapError(notifications.ErrToken, http.StatusNotFound, "notify.error.token", ""),
	web.MapError(notifications.ErrHandle, http.StatusBadRequest, "fedlink.error.handle", "handle"),
	web.MapError(notifications.ErrUnreachable, http.StatusUnprocessableEntity, "fedlink.error.unreachable", "handle"),
	web.MapError(notifications.ErrLinked, http.StatusConflict, "fedlink.error.linked", ""),
	web.MapError(notifications.ErrNoLink, http.StatusConflict, "fedlink.error.no_link", ""),
	web.MapError(notifications.ErrCodeAbsent, http.StatusConflict, "fedlink.error.code_absent", ""),
}

// Register serves the notifications pages and the follow buttons' posts.
func Register(k *web.Kit, d Deps) error {
	if d.Notifications == nil {
		return errors.New("notify needs the notifications service")
	}
	pages, err := k.Pages(templates, "templates/*.html")
	if err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	s := &surface{Pages: pages, svc: d.Notifications, courier: d.Courier, fedi: d.Fediverse}
	k.MapErrors(errorTable...)
	k.Unread(d.Notifications.Unread)
	signedIn := k.SignedIn()
	signedIn.Get("/notifications", s.list)
	signedIn.Post("/notifications/read", s.readAll)
	signedIn.Post("/notifications/{id}/read", s.readOne)
	signedIn.Post("/follow", s.follow)
	signedIn.Post("/unfollow", s.unfollow)
	signedIn.Get("/notifications/settings", s.settingsPage)
	signedIn.Post("/notifications/settings/address", s.addressSave)
	signedIn.Post("/notifications/settings/frequency", s.frequencySave)
	signedIn.Post("/notifications/settings/remove", s.addressRemove)
	signedIn.Get("/account/fediverse", s.fediversePage)
	signedIn.Post("/account/fediverse", s.fediverseLink)
	signedIn.Post("/account/fediverse/check", s.fediverseCheck)
	signedIn.Post("/account/fediverse/unlink", s.fediverseUnlink)
	signedIn.Post("/account/fediverse/messages", s.fediverseMessages)
	anyone := k.Anyone()
	anyone.Get("/notifications/email/verify/{token}", s.verify)
	anyone.Get("/notifications/unsubscribe/{key}", s.unsubscribePage)
	anyone.Post("/notifications/unsubscribe/{key}", s.unsubscribe)
	return nil
}
